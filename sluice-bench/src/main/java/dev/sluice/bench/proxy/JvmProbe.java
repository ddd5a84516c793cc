package dev.sluice.bench.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads another JVM's memory through {@code jcmd}: live heap after a full GC, NMT, class histogram. */
final class JvmProbe {
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");
    private static final Pattern NMT_OTHER = Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
    private static final Pattern HISTO_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern HISTO_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");

    private final long pid;

    JvmProbe(long pid) {
        this.pid = pid;
    }

    /** Heap used (bytes) right after a full GC ({@code GC.run} then {@code GC.heap_info}, all generations). */
    long heapAfterFullGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        long used = 0;
        for (String line : jcmd("GC.heap_info").split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher m = HEAP_USED.matcher(line);
            if (m.find()) {
                used += Long.parseLong(m.group(1)) * 1024;
            }
        }
        return used;
    }

    /** NMT committed bytes: [total, Other] (Other holds direct buffers, Netty's included); -1 without NMT. */
    long[] nativeMemory() throws IOException, InterruptedException {
        String out = jcmd("VM.native_memory", "summary");
        Matcher t = NMT_TOTAL.matcher(out);
        Matcher o = NMT_OTHER.matcher(out);
        return new long[] {t.find() ? Long.parseLong(t.group(1)) * 1024 : -1,
                o.find() ? Long.parseLong(o.group(1)) * 1024 : -1};
    }

    /** Live objects by class (bytes); the histogram forces a full GC. Key "TOTAL" holds the total. */
    Map<String, long[]> classHistogram() throws IOException, InterruptedException {
        Map<String, long[]> rows = new HashMap<>();
        for (String line : jcmd("GC.class_histogram").split("\n")) {
            Matcher m = HISTO_ROW.matcher(line);
            if (m.find()) {
                rows.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
                continue;
            }
            Matcher t = HISTO_TOTAL.matcher(line);
            if (t.find()) {
                rows.put("TOTAL", new long[] {Long.parseLong(t.group(1)), Long.parseLong(t.group(2))});
            }
        }
        return rows;
    }

    /** The classes whose live bytes grew most between two histograms, per connection: "class objects bytes". */
    static List<String> topGrowth(Map<String, long[]> before, Map<String, long[]> after, int limit, long connections) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            if (e.getKey().equals("TOTAL")) {
                continue;
            }
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            grown.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
        }
        grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, grown.size()); i++) {
            Map.Entry<String, long[]> e = grown.get(i);
            out.add(String.format(java.util.Locale.ROOT, "| `%s` | %.2f | %.0f |", e.getKey(),
                    e.getValue()[0] / (double) connections, e.getValue()[1] / (double) connections));
        }
        return out;
    }

    /** Open file descriptors of the process. */
    /** The process's resident set (VmRSS of /proc/PID/status), bytes; -1 when unreadable. */
    long residentBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    int openFiles() {
        String[] fds = Path.of("/proc", Long.toString(pid), "fd").toFile().list();
        return fds == null ? -1 : fds.length;
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + String.join(" ", command) + " did not finish in 60 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
