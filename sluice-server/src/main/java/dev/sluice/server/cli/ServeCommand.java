package dev.sluice.server.cli;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.SluiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code sluice serve}: runs the proxy until a drain (SIGTERM, {@code sluiceDrain}, {@code POST /api/drain}) or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run Sluice. With no --upstream it starts an embedded in-memory backend (nothing persisted).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "mongodb connector address (default 127.0.0.1:27016; port 0 picks a free port)")
    String listen;

    @Option(names = "--load-balanced-port", paramLabel = "PORT|HOST:PORT",
            description = "a second mongodb connector for drivers connected with loadBalanced=true, as to mongos "
                    + "behind an L4 load balancer (hello carries a serviceId; no monitoring connections); a bare PORT "
                    + "binds on --listen's host; YAML net.loadBalancedListen (default: off)")
    String loadBalancedPort;

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "HTTP connector address: admin API, dashboard, /metrics (default 127.0.0.1:27080)")
    String http;

    @Option(names = "--https", paramLabel = "HOST:PORT",
            description = "https connector address: the HTTP connector's API and dashboard over TLS, with the "
                    + "certificate of --tlsCertificateKeyFile (default: off)")
    String https;

    @Option(names = "--tlsMode", paramLabel = "MODE",
            description = "TLS on the mongodb connector, as mongod's net.tls.mode: disabled (default), allowTLS, "
                    + "preferTLS (TLS and plain on the same port), requireTLS")
    String tlsMode;

    @Option(names = "--tlsCertificateKeyFile", paramLabel = "FILE",
            description = "PEM file with the server's certificate chain and its private key (PKCS#8)")
    String tlsCertificateKeyFile;

    @Option(names = "--tlsCertificateKeyFilePassword", paramLabel = "PASSWORD",
            description = "password of an encrypted private key in --tlsCertificateKeyFile (prefer the YAML "
                    + "net.tls.certificateKeyFilePassword: a flag is visible in the process list)")
    String tlsCertificateKeyFilePassword;

    @Option(names = "--tlsCAFile", paramLabel = "FILE",
            description = "PEM file with the CA certificates of client certificates; with it clients must present one")
    String tlsCAFile;

    @Option(names = "--tlsAllowConnectionsWithoutCertificates",
            description = "with --tlsCAFile, clients may connect without a certificate (one they present is verified)")
    Boolean tlsAllowConnectionsWithoutCertificates;

    @Option(names = "--tlsAllowInvalidCertificates",
            description = "accept client certificates without verifying them (testing only)")
    Boolean tlsAllowInvalidCertificates;

    @Option(names = "--tlsProvider", paramLabel = "PROVIDER",
            description = "TLS implementation of every TLS connection (client-facing and upstream), as net.tls.provider: "
                    + "auto (default: OpenSSL/BoringSSL when available, else the JDK's), jdk, openssl")
    String tlsProvider;

    @Option(names = "--transport", paramLabel = "TRANSPORT",
            description = "Network transport of every socket, as net.transport: auto (default: io_uring where the "
                    + "kernel allows it, else epoll, else NIO), io_uring, epoll, nio")
    String transport;

    @Option(names = "--upstream", paramLabel = "URI",
            description = "MongoDB URI of the cluster, with pool options (e.g. mongodb://db1:27017/?maxPoolSize=20)")
    String upstream;

    @Option(names = "--allow-unauthenticated-remote-access",
            description = "Accept binding the HTTP connector (admin API: list, kill, drop) to a non-loopback address "
                    + "although nobody has to authenticate. Without it such a bind is refused.")
    boolean allowUnauthenticatedRemoteAccess;

    @Option(names = "--auth", description = "Require clients to authenticate (SCRAM) and authorize every command, "
            + "as mongod's --auth; YAML security.authorization: enabled")
    boolean auth;

    @Option(names = "--userSource", paramLabel = "SOURCE",
            description = "Where users come from with --auth: sluice (Sluice's own users, the default) or cluster (the "
                    + "upstream's users, read by the URI's service user; backend connections log in as each client's "
                    + "user); YAML security.userSource")
    String userSource;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file; flags override it")
    Path config;

    @Override
    public Integer call() throws Exception {
        SluiceConfig cfg;
        try {
            cfg = readConfig();
        } catch (ConfigException e) {
            System.err.println("sluice: invalid configuration: " + e.getMessage());
            return 2;
        }
        SluiceServer server;
        try {
            server = new SluiceServer(cfg, Clock.systemUTC());
        } catch (ConfigException e) {
            // a transport asked for and not available here (net.transport), before any thread or socket exists
            System.err.println("sluice: invalid configuration: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sluice-shutdown"));
        try {
            server.start();
        } catch (ConfigException e) {
            System.err.println("sluice: invalid configuration: " + e.getMessage());
            server.close();
            return 2;
        } catch (Exception e) {
            System.err.println("sluice: failed to start: " + e.getMessage());
            server.close();
            return 1;
        }
        TerminateSignal.install(() -> server.drain("SIGTERM"));
        if (config != null) {
            // SIGHUP and reloadConfig re-read the file, with the same flags over it
            server.configSource(this::readConfig);
            dev.sluice.server.security.tls.ReloadSignal.install(server::hangUp);
        }
        System.out.println(server.readyLine());
        System.out.flush();
        // a drain (SIGTERM, sluiceDrain, POST /api/drain) ends here with status 0; SIGINT through the hook
        server.stopped().whenComplete((ok, error) -> stopped.countDown());
        stopped.await();
        return 0;
    }

    /** The --config file (if any) with the command line's flags over it; at start and at each reload. */
    private SluiceConfig readConfig() {
        ConfigFile.Tls tlsFlags = new ConfigFile.Tls(tlsMode, tlsCertificateKeyFile, tlsCertificateKeyFilePassword,
                tlsCAFile, tlsAllowConnectionsWithoutCertificates, tlsAllowInvalidCertificates, tlsProvider);
        return SluiceConfig.merge(config == null ? null : ConfigFile.read(config), new SluiceConfig.Flags(listen, http,
                https, upstream, allowUnauthenticatedRemoteAccess, auth, tlsFlags, loadBalancedPort, userSource, transport));
    }
}
