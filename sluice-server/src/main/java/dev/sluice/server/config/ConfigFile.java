package dev.sluice.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

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
 * shutdownTimeoutMS: 15000
 * embeddedWireVersion: 17
 * loginTimeoutMS: 10000
 * frameTimeoutMS: 30000
 * maxBufferedFrameBytes: 268435456
 * maxUpstreamReplyBytes: 67108864
 * maxAdminIds: 100000
 * maxUpstreamScramIterations: 1000000
 * httpMaxConnections: 256
 * httpRequestTimeoutMS: 10000
 * httpIdleTimeoutMS: 60000
 * httpAllowedHosts: [sluice.internal]
 * httpMetricsWithoutAuth: false
 * httpMaxPageSize: 500
 * alerts: {thresholdPercent: 80, hysteresisPercent: 10}
 * security: {authorization: enabled, allowUnauthenticatedRemoteAccess: false, userSource: sluice,
 *            clusterUserCacheTTLSeconds: 30, clusterUserCacheSize: 1000}
 * maxConnectionsPerHost: 0
 * https: 127.0.0.1:27443
 * net:
 *   loadBalancedListen: 127.0.0.1:27018
 *   transport: auto
 *   tls: {mode: requireTLS, certificateKeyFile: /etc/sluice/server.pem, certificateKeyFilePassword: secret,
 *         CAFile: /etc/sluice/ca.pem, allowConnectionsWithoutCertificates: false, allowInvalidCertificates: false}
 * dnsServers: ["10.0.0.2:53"]
 * dnsTimeoutMS: 5000
 * fleet: {enabled: true, advertiseHttp: "http://10.0.0.5:27080", heartbeatIntervalMS: 5000, instanceTimeoutMS: 15000,
 *         peerTimeoutMS: 2000, maxPeerReplyBytes: 67108864, maxInstances: 1000, connectionBudget: 0}
 * </pre>
 */
public record ConfigFile(String listen, String http, String upstream, Integer maxIncomingConnections,
                         Integer maxMessageSizeBytes, List<String> compressors, Long shutdownTimeoutMS,
                         Integer alertThresholdPercent, Integer embeddedWireVersion,
                         Long loginTimeoutMS, Long frameTimeoutMS, Long maxBufferedFrameBytes,
                         Integer maxUpstreamReplyBytes, Integer maxAdminIds,
                         Integer httpMaxConnections, Long httpRequestTimeoutMS, Long httpIdleTimeoutMS,
                         List<String> httpAllowedHosts, Alerts alerts, Security security,
                         Boolean httpMetricsWithoutAuth, String https, Net net, List<String> dnsServers,
                         Long dnsTimeoutMS, Integer httpMaxPageSize, Integer maxConnectionsPerHost,
                         Fleet fleet, Integer maxUpstreamScramIterations) {

    /**
     * {@code fleet:} section: registration in the upstream cluster and the shared connection budget
     * (see {@link dev.sluice.server.fleet.FleetSettings}).
     */
    public record Fleet(Boolean enabled, String advertiseHttp, Long heartbeatIntervalMS, Long instanceTimeoutMS,
                        Long peerTimeoutMS, Integer maxPeerReplyBytes, Integer maxInstances, Integer connectionBudget) {
    }

    /** {@code alerts:} section. */
    public record Alerts(Integer thresholdPercent, Integer hysteresisPercent) {
    }

    /** {@code security:} section (mongod's name for it). */
    public record Security(Boolean allowUnauthenticatedRemoteAccess, String authorization, String userSource,
                           Long clusterUserCacheTTLSeconds, Integer clusterUserCacheSize) {
    }

    /**
     * {@code net:} section (mongod's name for it): {@code tls}, {@code loadBalancedListen} (HOST:PORT of the
     * connector for drivers connected with {@code loadBalanced=true}; mongos calls its own {@code loadBalancerPort}),
     * and {@code transport} (auto, io_uring, epoll or nio).
     */
    public record Net(Tls tls, String loadBalancedListen, String transport) {
    }

    /**
     * {@code net.tls:} section, with mongod's names; the command-line flags ({@code --tlsMode}, ...) fill
     * the same record and win over the file field by field.
     */
    public record Tls(String mode, String certificateKeyFile, String certificateKeyFilePassword,
                      @JsonProperty("CAFile") String caFile, Boolean allowConnectionsWithoutCertificates,
                      Boolean allowInvalidCertificates, String provider) {
        public static final Tls NONE = new Tls(null, null, null, null, null, null, null);

        /** Without {@code provider} (auto unless the file says otherwise). */
        public Tls(String mode, String certificateKeyFile, String certificateKeyFilePassword, String caFile,
                   Boolean allowConnectionsWithoutCertificates, Boolean allowInvalidCertificates) {
            this(mode, certificateKeyFile, certificateKeyFilePassword, caFile, allowConnectionsWithoutCertificates,
                    allowInvalidCertificates, null);
        }

        /** This section with every field {@code over} gives replaced. */
        public Tls overriddenBy(Tls over) {
            if (over == null) {
                return this;
            }
            return new Tls(or(over.mode, mode), or(over.certificateKeyFile, certificateKeyFile),
                    or(over.certificateKeyFilePassword, certificateKeyFilePassword), or(over.caFile, caFile),
                    or(over.allowConnectionsWithoutCertificates, allowConnectionsWithoutCertificates),
                    or(over.allowInvalidCertificates, allowInvalidCertificates), or(over.provider, provider));
        }

        private static <T> T or(T a, T b) {
            return a != null ? a : b;
        }

        @Override
        public String toString() {
            return "Tls[mode=" + mode + ", certificateKeyFile=" + certificateKeyFile + ", certificateKeyFilePassword="
                    + (certificateKeyFilePassword == null ? null : "****") + ", CAFile=" + caFile
                    + ", allowConnectionsWithoutCertificates=" + allowConnectionsWithoutCertificates
                    + ", allowInvalidCertificates=" + allowInvalidCertificates + ", provider=" + provider + "]";
        }
    }

    public static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads and validates the file's syntax and keys; values are checked when settings are built. */
    public static ConfigFile read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config: file not found: " + path);
        } catch (IOException e) {
            throw new ConfigException("config: cannot read " + path + ": " + e.getMessage(), e);
        }
        return parse(text, path.toString());
    }

    /** Parses YAML text; {@code source} names it in errors (a file name, or "inline"). */
    public static ConfigFile parse(String text, String source) {
        Object path = source;
        try {
            if (text.isBlank()) {
                return EMPTY;
            }
            ConfigFile file = YAML.readValue(text, ConfigFile.class);
            return file == null ? EMPTY : file;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("config: unknown key '" + keyPath(e) + "' in " + path
                    + " (known keys here: " + e.getKnownPropertyIds() + ")");
        } catch (MismatchedInputException e) {
            throw new ConfigException("config: wrong type for '" + keyPath(e) + "' in " + path + at(e)
                    + " (expected " + (e.getTargetType() == null ? "another type" : simpleType(e.getTargetType())) + ")");
        } catch (JsonProcessingException e) {
            throw new ConfigException("config: cannot parse " + path + at(e) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("config: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The dotted key path of a Jackson error, without Jackson's reference chain. */
    private static String keyPath(com.fasterxml.jackson.databind.JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "?" : p.replace(".[", "[");
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private static String simpleType(Class<?> type) {
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a section";
    }
}
