package dev.sluice.bench.proxy;

import org.openjdk.jol.info.ClassLayout;

import java.util.List;
import java.util.Locale;

/**
 * The heap objects Sluice makes per forwarded operation, by class, with their sizes in this JVM (OpenJDK's JOL reads
 * the field layout: compressed references and headers as the JVM runs them). The list is what the allocation
 * profile of {@link ForwardingAllocationBenchmark} shows on Sluice's threads (JFR's allocation samples); this prints
 * what each of those objects weighs, so that the garbage per operation can be read byte by byte.
 *
 * <pre>
 * java -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.proxy.PerOperationLayout
 * java -XX:+UseCompactObjectHeaders -cp ... (Java 25)   # the same with 8-byte headers
 * </pre>
 */
public final class PerOperationLayout {
    private record Entry(String className, String why) {
    }

    private static final List<Entry> PER_OPERATION = List.of(
            new Entry("dev.sluice.server.wire.OpMsg",
                    "the parsed request: flags, ids, its body's bytes and document sequences"),
            new Entry("dev.sluice.server.client.ClientSession$Forwarded",
                    "the client's request, the reply's addressee and the operation's callback: a late callback of"
                            + " one operation cannot reach the next"),
            new Entry("dev.sluice.server.route.Forwarding",
                    "the operation (server selection, replay, the frame kept for it), its own InFlight and its"
                            + " own attempt (check-out, send, reply)"));

    private PerOperationLayout() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        System.out.printf(Locale.ROOT, "%s %s, %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("java.vm.info"));
        long total = 0;
        for (Entry e : PER_OPERATION) {
            ClassLayout layout = ClassLayout.parseClass(Class.forName(e.className()));
            total += layout.instanceSize();
            System.out.printf(Locale.ROOT, "%5d B  %s: %s%n", layout.instanceSize(), e.className(), e.why());
            if (args.length > 0 && args[0].equals("--fields")) {
                System.out.println(layout.toPrintable());
            }
        }
        long array = ClassLayout.parseInstance(new byte[0]).instanceSize();
        System.out.printf(Locale.ROOT, "%5d B  in all, plus the body's copy: a byte[] of %d B of header and the body's"
                + " length, rounded up to 8 (a driver's find: 150-250 B of body)%n", total, array);
    }
}
