package dev.sluice.server;

/** Sluice's version, as reported in handshakes and serverStatus. */
public final class Version {
    public static final String VERSION = readVersion();

    private Version() {
    }

    private static String readVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
