package dev.sluice.server.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The YAML configuration file. Every key is optional; an unknown key is an error naming it.
 *
 * <pre>
 * listen: 127.0.0.1:27016
 * http: 127.0.0.1:27080
 * upstream: mongodb://db1:27017,db2:27017/?maxPoolSize=20
 * maxIncomingConnections: 20000
 * maxMessageSizeBytes: 48000000
 * compressors: [snappy, zlib, zstd]
 * shutdownTimeoutMS: 10000
 * alertThresholdPercent: 80
 * embeddedWireVersion: 17
 * </pre>
 */
public record ConfigFile(String listen, String http, String upstream, Integer maxIncomingConnections,
                         Integer maxMessageSizeBytes, List<String> compressors, Long shutdownTimeoutMS,
                         Integer alertThresholdPercent, Integer embeddedWireVersion) {

    public static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null, null, null);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads and validates the file's syntax and keys; values are checked when settings are built. */
    public static ConfigFile read(Path path) {
        try {
            String text = Files.readString(path);
            if (text.isBlank()) {
                return EMPTY;
            }
            ConfigFile file = YAML.readValue(text, ConfigFile.class);
            return file == null ? EMPTY : file;
        } catch (NoSuchFileException e) {
            throw new ConfigException("config: file not found: " + path);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("config: unknown key '" + e.getPropertyName() + "' in " + path
                    + " (known keys: " + e.getKnownPropertyIds() + ")");
        } catch (IOException e) {
            throw new ConfigException("config: cannot read " + path + ": " + originalMessage(e), e);
        }
    }

    private static String originalMessage(IOException e) {
        return e.getMessage();
    }
}
