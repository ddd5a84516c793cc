package dev.sluice.bench.proxy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Command-line options of the benchmark mains: {@code --name value} pairs, validated when read. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, String usage, String... known) {
        List<String> names = List.of(known);
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !names.contains(name) || i + 1 >= args.length) {
                System.err.println("unknown or incomplete option: " + args[i] + "\nusage: " + usage);
                System.exit(2);
            }
            values.put(name, args[++i]);
        }
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
    }

    double decimal(String name, double fallback) {
        String v = values.get(name);
        return v == null ? fallback : Double.parseDouble(v);
    }

    List<Integer> integers(String name, String fallback) {
        List<Integer> out = new ArrayList<>();
        for (String s : string(name, fallback).split(",")) {
            if (!s.isBlank()) {
                out.add(Integer.parseInt(s.trim()));
            }
        }
        return out;
    }

    List<String> strings(String name, String fallback) {
        List<String> out = new ArrayList<>();
        for (String s : string(name, fallback).split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** {@code HOST:PORT}, or a {@code mongodb://HOST:PORT/...} URI's first host. */
    static InetSocketAddress hostPort(String s) {
        if (s.startsWith("mongodb://")) {
            URI uri = URI.create(s);
            return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 27017 : uri.getPort());
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT, got: " + s);
        }
        return new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }
}
