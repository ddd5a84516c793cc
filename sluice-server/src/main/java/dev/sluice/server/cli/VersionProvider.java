package dev.sluice.server.cli;

import dev.sluice.server.Version;
import picocli.CommandLine;

/** Prints Sluice's version for {@code --version}. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"sluice " + Version.VERSION};
    }
}
