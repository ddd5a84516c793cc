package dev.sluice.server.config;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What differs between the running configuration and a re-read one, split into what Sluice can apply at
 * runtime and what needs a restart. Applied at runtime: the upstream's {@code maxPoolSize} (the pools are
 * resized), {@code maxIncomingConnections}, and {@code fleet.connectionBudget}. Everything else is named,
 * by its configuration key, in the error of a reload that changes it.
 *
 * @param maxPoolSize            the new maxPoolSize of the upstream URI, or null when unchanged
 * @param maxIncomingConnections the new value, or null when unchanged
 * @param connectionBudget       the new fleet.connectionBudget, or null when unchanged
 * @param needRestart            the keys that changed and cannot change at runtime
 */
public record ConfigChanges(Integer maxPoolSize, Integer maxIncomingConnections, Integer connectionBudget,
                            List<String> needRestart) {
    private static final Pattern MAX_POOL_SIZE = Pattern.compile("(?i)([?&])maxPoolSize=([^&]*)");

    public ConfigChanges {
        needRestart = List.copyOf(needRestart);
    }

    /** Compares the running {@code current} with the re-read {@code next}. */
    public static ConfigChanges between(SluiceConfig current, SluiceConfig next) {
        List<String> restart = new ArrayList<>();
        Integer pool = null;
        if (!Objects.equals(current.upstreamUri(), next.upstreamUri())) {
            if (current.upstreamUri() == null || next.upstreamUri() == null
                    || !withoutMaxPoolSize(current.upstreamUri()).equals(withoutMaxPoolSize(next.upstreamUri()))) {
                restart.add("upstream (only its maxPoolSize option can change at runtime)");
            } else {
                pool = UpstreamSettings.fromUri(next.upstreamUri(), false).pool().maxPoolSize();
            }
        }
        Integer incoming = null;
        ServerSettings a = current.server();
        ServerSettings b = next.server();
        if (a.maxIncomingConnections() != b.maxIncomingConnections() && !a.maxIncomingConnectionsExplicit()
                && !b.maxIncomingConnectionsExplicit()) {
            // both fitted to the open-file limit: no operator change
        } else if (a.maxIncomingConnections() != b.maxIncomingConnections()) {
            incoming = b.maxIncomingConnections();
        }
        differences("", a, b.withMaxIncomingConnections(a.maxIncomingConnections()), restart,
                List.of("maxIncomingConnectionsExplicit"));
        differences("dns.", current.dns(), next.dns(), restart, List.of());
        differences("security.", current.users(), next.users(), restart, List.of());
        Integer budget = null;
        FleetSettings fa = current.fleet();
        FleetSettings fb = next.fleet();
        if (fa.connectionBudget() != fb.connectionBudget()) {
            if (!fa.enabled() || !fb.enabled()) {
                restart.add("fleet.connectionBudget (with fleet.enabled changing)");
            } else {
                budget = fb.connectionBudget();
            }
        }
        differences("fleet.", fa, fb.withConnectionBudget(fa.connectionBudget()), restart, List.of());
        return new ConfigChanges(pool, incoming, budget, restart);
    }

    /** Whether nothing at all changed. */
    public boolean none() {
        return maxPoolSize == null && maxIncomingConnections == null && connectionBudget == null && needRestart.isEmpty();
    }

    /** A URI without its maxPoolSize option, to compare the rest. */
    static String withoutMaxPoolSize(String uri) {
        return MAX_POOL_SIZE.matcher(uri).replaceAll("$1").replace("?&", "?").replaceAll("&&", "&")
                .replaceAll("[?&]$", "");
    }

    /** Adds {@code prefix + name} of each record component that differs (recursing into nested records). */
    private static void differences(String prefix, Record a, Record b, List<String> out, List<String> ignored) {
        if (Objects.equals(a, b)) {
            return;
        }
        for (RecordComponent c : a.getClass().getRecordComponents()) {
            if (ignored.contains(c.getName())) {
                continue;
            }
            Object x = value(c, a);
            Object y = value(c, b);
            if (Objects.equals(x, y)) {
                continue;
            }
            if (x instanceof Record rx && y instanceof Record ry && rx.getClass() == ry.getClass()) {
                differences(prefix + c.getName() + ".", rx, ry, out, List.of());
            } else {
                out.add(prefix + c.getName());
            }
        }
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("reading " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }
}
