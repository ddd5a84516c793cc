package dev.sluice.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice}: the command-line entry point. */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Sluice: a MongoDB connection manager (wire-protocol proxy with pooled upstream connections).",
        subcommands = {ServeCommand.class, EstimateCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Netty's leak detector records a stack trace for one buffer in {@value #LEAK_SAMPLING_INTERVAL} instead of
     * one in 128 (its default): at 128 it cost about 0.4 µs per forwarded operation, the stack walks of the traced
     * buffers (BENCHMARKS.md, "CPU per forwarded operation"). Leaks are still reported, after more operations.
     * {@code -Dio.netty.leakDetection.samplingInterval=N} (or {@code -Dio.netty.leakDetection.level=paranoid})
     * in {@code SLUICE_JAVA_OPTS} overrides it.
     */
    static final int LEAK_SAMPLING_INTERVAL = 4096;

    public static void main(String[] args) {
        if (System.getProperty("io.netty.leakDetection.samplingInterval") == null) {
            System.setProperty("io.netty.leakDetection.samplingInterval", Integer.toString(LEAK_SAMPLING_INTERVAL));
        }
        int code = new CommandLine(new Main()).execute(args);
        // serve returns after a drain (exit 0 even if a library thread lingers) or from within the shutdown
        // hook (SIGINT), where System.exit blocks harmlessly and the signal's status stays
        System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
