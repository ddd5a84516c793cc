package dev.sluice.server.security.tls;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.TlsProvider;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * The TLS implementation {@code net.tls.provider} resolves to on this machine, for every TLS connection (mongodb and
 * https connectors, backend connections): {@code auto} takes OpenSSL (BoringSSL from netty-tcnative, 2-4x faster
 * handshakes in BENCHMARKS.md) when it loads, else the JDK's, saying why in {@link #note()}; {@code openssl} that
 * does not load refuses the start, naming the setting and the cause.
 *
 * @param configured what the setting says
 * @param provider   Netty's provider for the contexts: {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}
 * @param note       why auto fell back to the JDK (one INFO line), or null
 */
public record ChosenTlsProvider(TlsProvider configured, SslProvider provider, String note) {

    /** The JDK's provider, as {@code net.tls.provider: jdk} gives it. */
    public static final ChosenTlsProvider JDK = new ChosenTlsProvider(TlsProvider.JDK, SslProvider.JDK, null);

    /** Resolves {@code configured} against whether netty-tcnative's OpenSSL loads in this JVM. */
    public static ChosenTlsProvider resolve(TlsProvider configured) {
        return resolve(configured, OpenSsl.isAvailable(), OpenSsl.unavailabilityCause());
    }

    /** As above, with the availability given (tests). */
    static ChosenTlsProvider resolve(TlsProvider configured, boolean openSslAvailable, Throwable unavailabilityCause) {
        return switch (configured) {
            case JDK -> JDK;
            case OPENSSL -> {
                if (!openSslAvailable) {
                    throw new ConfigException("net.tls.provider: openssl, but OpenSSL (netty-tcnative-boringssl-static) "
                            + "is not available on this platform: " + cause(unavailabilityCause)
                            + " (set net.tls.provider to auto or jdk to use the JDK's TLS)");
                }
                yield new ChosenTlsProvider(TlsProvider.OPENSSL, SslProvider.OPENSSL, null);
            }
            case AUTO -> openSslAvailable ? new ChosenTlsProvider(TlsProvider.AUTO, SslProvider.OPENSSL, null)
                    : new ChosenTlsProvider(TlsProvider.AUTO, SslProvider.JDK, "net.tls.provider is auto and OpenSSL "
                    + "(netty-tcnative-boringssl-static) is not available on this platform (" + cause(unavailabilityCause)
                    + "): TLS uses the JDK's provider");
        };
    }

    /** The name shown in logs and serverStatus: "openssl" or "jdk". */
    public String name() {
        return provider == SslProvider.OPENSSL ? "openssl" : "jdk";
    }

    /** The name with the library behind it, for the start log: "openssl (BoringSSL)", "jdk (SunJSSE)". */
    public String describe() {
        if (provider == SslProvider.OPENSSL) {
            return "openssl (" + OpenSsl.versionString() + ", net.tls.provider=" + configured + ")";
        }
        return "jdk (net.tls.provider=" + configured + ")";
    }

    private static String cause(Throwable t) {
        if (t == null) {
            return "no cause given";
        }
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
