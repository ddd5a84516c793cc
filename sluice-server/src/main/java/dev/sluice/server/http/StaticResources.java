package dev.sluice.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The dashboard's files, read once from the classpath folder {@code dashboard/}; with authorization
 * on, also its login page ({@code login.html}, {@code login.js}).
 */
final class StaticResources {
    /** A file of the dashboard and its content type. */
    record Resource(String contentType, byte[] body) {
    }

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private static final Map<String, String> LOGIN_FILES = Map.of(
            "login.html", "text/html; charset=utf-8",
            "login.js", "text/javascript; charset=utf-8");

    private final Map<String, Resource> byPath = new HashMap<>();

    /** The dashboard's files (authorization off). */
    StaticResources() {
        this(false);
    }

    /** @param withLogin also serve the login page (authorization on) */
    StaticResources(boolean withLogin) {
        Map<String, String> files = new HashMap<>(FILES);
        if (withLogin) {
            files.putAll(LOGIN_FILES);
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Resource resource = new Resource(file.getValue(), read("dashboard/" + file.getKey()));
            byPath.put("/" + file.getKey(), resource);
            if (file.getKey().equals("index.html")) {
                byPath.put("/", resource);
            }
        }
    }

    /** The file served at {@code path}, or null. */
    Resource find(String path) {
        return byPath.get(path);
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticResources.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource missing from the classpath: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard resource " + name, e);
        }
    }
}
