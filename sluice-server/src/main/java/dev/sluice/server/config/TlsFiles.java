package dev.sluice.server.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns the {@code net.tls} section (file and flags merged) into {@link TlsSettings}, checking that
 * each named file can be read, so that a wrong path stops Sluice at start with the option and the
 * path. Their contents are checked when the server loads them.
 */
final class TlsFiles {
    private TlsFiles() {
    }

    static TlsSettings settings(ConfigFile.Tls t) {
        TlsMode mode = t.mode() == null ? TlsMode.DISABLED : TlsMode.parse(t.mode(), "net.tls.mode");
        return new TlsSettings(mode,
                readable(t.certificateKeyFile(), "net.tls.certificateKeyFile"),
                t.certificateKeyFilePassword(),
                readable(t.caFile(), "net.tls.CAFile"),
                Boolean.TRUE.equals(t.allowConnectionsWithoutCertificates()),
                Boolean.TRUE.equals(t.allowInvalidCertificates()),
                t.provider() == null ? TlsProvider.AUTO : TlsProvider.parse(t.provider(), "net.tls.provider"));
    }

    /** The path, when it names a readable regular file; null when not given. */
    static Path readable(String value, String option) {
        if (value == null) {
            return null;
        }
        Path path;
        try {
            path = Path.of(value.trim());
        } catch (InvalidPathException e) {
            throw new ConfigException(option + ": '" + value + "' is not a valid path: " + e.getMessage());
        }
        if (value.isBlank()) {
            throw new ConfigException(option + ": empty (expected the path of a PEM file)");
        }
        if (!Files.exists(path)) {
            throw new ConfigException(option + ": file not found: " + path.toAbsolutePath());
        }
        if (Files.isDirectory(path)) {
            throw new ConfigException(option + ": " + path.toAbsolutePath() + " is a directory (expected a PEM file)");
        }
        if (!Files.isReadable(path)) {
            throw new ConfigException(option + ": cannot read " + path.toAbsolutePath()
                    + " (permission denied for the user running Sluice)");
        }
        return path;
    }
}
