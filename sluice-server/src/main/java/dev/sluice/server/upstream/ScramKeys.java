package dev.sluice.server.upstream;

import dev.sluice.server.security.scram.ScramMechanism;

/**
 * Where the client side of a backend SCRAM conversation gets its keys for the salt and iteration count the server
 * sent: derived from the URI's password ({@link PasswordKeys}) or passed through from a client's own login
 * ({@link UpstreamLogin}). Implementations never print key material.
 */
interface ScramKeys {
    /** ClientKey and ServerKey of RFC 5802 for one salt and iteration count. */
    record Keys(byte[] clientKey, byte[] serverKey) {
        @Override
        public String toString() {
            return "Keys[<redacted>]";
        }
    }

    /**
     * The keys for the server-first message's salt and iteration count.
     *
     * @throws IllegalStateException saying why no keys fit (the message names no secret)
     */
    Keys keys(ScramMechanism mechanism, byte[] salt, int iterations);
}
