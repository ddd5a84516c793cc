package dev.sluice.server.topology.srv;

/**
 * A {@code mongodb+srv://} name could not be turned into a seed list: the DNS look-up failed or timed out, found
 * nothing, or found records the Initial DNS Seedlist Discovery spec refuses. The message names the DNS name and why.
 */
public final class SrvLookupException extends RuntimeException {

    private final String dnsName;

    public SrvLookupException(String dnsName, String message) {
        super(message);
        this.dnsName = dnsName;
    }

    public SrvLookupException(String dnsName, String message, Throwable cause) {
        super(message, cause);
        this.dnsName = dnsName;
    }

    /** The name looked up (for example {@code _mongodb._tcp.cluster0.example.net}). */
    public String dnsName() {
        return dnsName;
    }
}
