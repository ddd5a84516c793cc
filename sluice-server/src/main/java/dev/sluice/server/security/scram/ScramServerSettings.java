package dev.sluice.server.security.scram;

/**
 * Bounds and defaults of the SCRAM server, validated here.
 *
 * @param maxMessageBytes       largest client SCRAM message accepted (a real one is well under
 *                              300 bytes); a larger one fails the attempt
 * @param sha1IterationCount    iteration count announced for unknown users on SCRAM-SHA-1
 *                              (set it to the count new users get, so unknown users look alike)
 * @param sha256IterationCount  the same for SCRAM-SHA-256
 */
public record ScramServerSettings(int maxMessageBytes, int sha1IterationCount, int sha256IterationCount) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4096;

    public ScramServerSettings {
        if (maxMessageBytes < 256 || maxMessageBytes > 1 << 20) {
            throw new IllegalArgumentException("scram maxMessageBytes: " + maxMessageBytes
                    + " (expected: 256..1048576)");
        }
        if (sha1IterationCount < ScramCredentials.MIN_DERIVE_ITERATIONS) {
            throw new IllegalArgumentException("scramIterationCount: " + sha1IterationCount + " (expected: >= "
                    + ScramCredentials.MIN_DERIVE_ITERATIONS + ")");
        }
        if (sha256IterationCount < ScramCredentials.MIN_DERIVE_ITERATIONS) {
            throw new IllegalArgumentException("scramSHA256IterationCount: " + sha256IterationCount
                    + " (expected: >= " + ScramCredentials.MIN_DERIVE_ITERATIONS + ")");
        }
    }

    /** 4 KB messages; mongod's default iteration counts (10000 and 15000). */
    public static ScramServerSettings defaults() {
        return new ScramServerSettings(DEFAULT_MAX_MESSAGE_BYTES, ScramMechanism.SCRAM_SHA_1.defaultIterationCount(),
                ScramMechanism.SCRAM_SHA_256.defaultIterationCount());
    }

    public int iterationCount(ScramMechanism mechanism) {
        return mechanism == ScramMechanism.SCRAM_SHA_1 ? sha1IterationCount : sha256IterationCount;
    }
}
