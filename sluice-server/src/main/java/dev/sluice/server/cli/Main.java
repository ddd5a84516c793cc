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

    public static void main(String[] args) {
        LeakSampling.applyDefault();
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
