package dev.sluice.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code sluice estimate}: how many connections a fleet of clients opens to a cluster directly, and
 * how many it opens through Sluice. Exit code 0, or 2 for invalid options (picocli's usage error).
 */
@Command(name = "estimate", sortOptions = false,
        description = {"Estimate the connections a fleet of MongoDB clients opens to a cluster, directly and "
                + "through Sluice, and when a connection limit is reached.",
                "Per client and node a pooled driver holds its pool plus 1 monitoring connection (poll) or 2 "
                        + "(stream: monitor + RTT); a single-threaded driver holds 1."})
public final class EstimateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3",
            description = "Data-bearing nodes of the cluster (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "1",
            description = "Client instances: processes, containers, serverless functions (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--pool-size", paramLabel = "N", defaultValue = "100",
            description = "Connections each client's pool reaches per node: maxPoolSize at peak, "
                    + "minPoolSize at rest (default: ${DEFAULT-VALUE}, the drivers' maxPoolSize).")
    int poolSize;

    @Option(names = "--driver", paramLabel = "pooled|single", defaultValue = "pooled", converter = DriverConverter.class,
            description = "pooled (multi-threaded drivers) or single (single-threaded: C, PHP) (default: ${DEFAULT-VALUE}).")
    DriverKind driver;

    @Option(names = "--monitoring", paramLabel = "poll|stream", defaultValue = "stream",
            converter = MonitoringConverter.class,
            description = "The clients' serverMonitoringMode (default: ${DEFAULT-VALUE}, MongoDB 4.4+).")
    MonitoringMode monitoring;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "The cluster's connection limit (e.g. 3000 for a small Atlas tier); 0 for none.")
    long limit;

    @Option(names = "--sluice-pool-size", paramLabel = "N", defaultValue = "100",
            description = "Sluice's upstream maxPoolSize per node (default: ${DEFAULT-VALUE}).")
    int sluicePoolSize;

    @Option(names = "--sluice-monitoring", paramLabel = "poll|stream", defaultValue = "stream",
            converter = MonitoringConverter.class,
            description = "Sluice's own serverMonitoringMode (default: ${DEFAULT-VALUE}).")
    MonitoringMode sluiceMonitoring;

    @Option(names = "--sluice-instances", paramLabel = "N", defaultValue = "1",
            description = "Sluice processes in front of the cluster (default: ${DEFAULT-VALUE}).")
    int sluiceInstances;

    @Option(names = "--sluice-face", paramLabel = "router|load-balanced", defaultValue = "router",
            converter = FaceConverter.class,
            description = "The Sluice port the clients use: router (--listen; drivers monitor it) or load-balanced "
                    + "(--load-balanced-port, drivers with loadBalanced=true: no monitoring connections; needed when "
                    + "several Sluices sit behind one L4 load balancer) (default: ${DEFAULT-VALUE}).")
    SluiceFace sluiceFace;

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        EstimateInput input;
        try {
            input = new EstimateInput(nodes, clients, poolSize, driver, monitoring, limit, sluicePoolSize,
                    sluiceMonitoring, sluiceInstances, sluiceFace);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Estimate estimate = EstimateCalculator.estimate(input);
        spec.commandLine().getOut().print(json ? EstimateReport.json(estimate) : EstimateReport.text(estimate));
        spec.commandLine().getOut().flush();
        return 0;
    }

    static final class DriverConverter implements ITypeConverter<DriverKind> {
        @Override
        public DriverKind convert(String value) {
            return parse(DriverKind.class, value);
        }
    }

    static final class MonitoringConverter implements ITypeConverter<MonitoringMode> {
        @Override
        public MonitoringMode convert(String value) {
            return parse(MonitoringMode.class, value);
        }
    }

    static final class FaceConverter implements ITypeConverter<SluiceFace> {
        @Override
        public SluiceFace convert(String value) {
            for (SluiceFace f : SluiceFace.values()) {
                if (f.label().equalsIgnoreCase(value)) {
                    return f;
                }
            }
            throw new TypeConversionException("expected one of " + Arrays.toString(SluiceFace.values())
                    + " but was '" + value + "'");
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw new TypeConversionException("expected one of " + Arrays.toString(type.getEnumConstants())
                .toLowerCase(Locale.ROOT) + " but was '" + value + "'");
    }
}
