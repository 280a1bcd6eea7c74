package dev.pouch.client.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A bench run's figures, each beside its target, as a table for people and as JSON for tools. */
final class BenchReport {

    /** The machine, as the figures must be read against it. */
    record Host(Instant date, int cores, String cpu, long memoryBytes, String os, String jdk, long benchHeapMax) {

        static Host current() {
            String cpu = "?";
            try {
                cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
            return new Host(Instant.now(), Runtime.getRuntime().availableProcessors(), cpu, memory,
                    System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                    Runtime.getRuntime().maxMemory());
        }
    }

    /** How the run was set up. */
    record Setup(String server, String serverHeap, int offices, int senders, double provisionSeconds, double connectSeconds,
            String clientsDir) {
    }

    Host host;
    Setup setup;
    CpuMeter.Usage idle;
    ThroughputScenario.Result throughput;
    BroadcastScenario.Result broadcast;
    LargeFileScenario.Result large;
    BatchScenario.Result batch;
    Check check;
    String aborted;

    boolean passed() {
        return aborted == null && check != null && check.passed()
                && (throughput == null || throughput.completed())
                && (broadcast == null || broadcast.completed())
                && (large == null || large.completed())
                && (batch == null || batch.completed());
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", host.date().toString());
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("cores", host.cores());
        h.put("cpu", host.cpu());
        h.put("memoryBytes", host.memoryBytes());
        h.put("os", host.os());
        h.put("jdk", host.jdk());
        h.put("benchHeapMaxBytes", host.benchHeapMax());
        m.put("host", h);
        if (setup != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("server", setup.server());
            s.put("serverHeap", setup.serverHeap());
            s.put("offices", setup.offices());
            s.put("senders", setup.senders());
            s.put("provisionSeconds", setup.provisionSeconds());
            s.put("connectSeconds", setup.connectSeconds());
            s.put("clientsDir", setup.clientsDir());
            m.put("setup", s);
        }
        m.put("idle", idle == null ? null : idle.json());
        m.put("throughput", throughput == null ? null : throughput.json());
        m.put("broadcast", broadcast == null ? null : broadcast.json());
        m.put("large", large == null ? null : large.json());
        m.put("batch", batch == null ? null : batch.json());
        m.put("check", check == null ? null : check.json());
        m.put("aborted", aborted);
        m.put("passed", passed());
        return m;
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%nPouch end to end — %s%n", host.date());
        out.printf(Locale.ROOT, "host: %d cores (%s), %s memory, %s, %s; this JVM's heap max %s%n", host.cores(), host.cpu(),
                Sizes.format(host.memoryBytes() >> 30 << 30), host.os(), host.jdk(), Sizes.format(host.benchHeapMax()));
        if (setup != null) {
            out.printf(Locale.ROOT, "server: %s, heap %s; %d offices and %d HQ senders connected (provisioned in %.1f s, connected in %.1f s)%n",
                    setup.server(), setup.serverHeap(), setup.offices(), setup.senders(), setup.provisionSeconds(), setup.connectSeconds());
            out.printf(Locale.ROOT, "clients' stores: %s%n", setup.clientsDir());
        }
        out.println();
        row(out, "scenario", "figure", "measured", "target", "ratio");
        if (idle != null) {
            row(out, "idle", String.format(Locale.ROOT, "all connected, nothing sent (%.0f s)", idle.seconds()), "", "", "");
            cpu(out, idle);
        }
        if (throughput != null) {
            ThroughputScenario.Result t = throughput;
            row(out, "throughput", String.format(Locale.ROOT, "documents/s end to end (%s, %d recipient%s, %d docs)",
                    Sizes.format(t.settings().size()), t.settings().recipients(), t.settings().recipients() == 1 ? "" : "s", t.sent()),
                    String.format(Locale.ROOT, "%.1f /s", t.docsPerSecond()), ">= 500 /s", ratio(t.docsPerSecond() / 500));
            row(out, "", "submit -> ack p50/p95/p99/max", t.ack().cell(), "", "");
            row(out, "", "submit -> stored by all offices", t.delivered().cell(), "", "");
            row(out, "", "submit -> all receipts accepted", t.receipted().cell(), "", "");
            cpu(out, t.cpu());
            if (t.docsPerSecond() > 0) {
                row(out, "", "CPU per document", String.format(Locale.ROOT, "clients %.1f ms, server %s ms, PostgreSQL %s ms",
                        t.cpu().bench() * 1000 / t.docsPerSecond(), num(t.cpu().server() * 1000 / t.docsPerSecond()),
                        num(t.cpu().postgres() * 1000 / t.docsPerSecond())), "", "");
            }
            timers(out, t.serverTimers());
        }
        if (broadcast != null) {
            BroadcastScenario.Result b = broadcast;
            row(out, "broadcast", String.format(Locale.ROOT, "submit -> stored, p99 over %d offices x %d", b.offices(), b.count()),
                    String.format(Locale.ROOT, "%.0f ms", b.storedPerOffice().p99()), "<= 1000 ms",
                    ratio(BroadcastScenario.TARGET_P99_MS / b.storedPerOffice().p99()));
            row(out, "", "  p50/p95/p99/max", b.storedPerOffice().cell(), "", "");
            row(out, "", "submit -> ack (stored, queued for all) p95", String.format(Locale.ROOT, "%.0f ms", b.ack().p95()),
                    "<= 200 ms", ratio(BroadcastScenario.TARGET_QUEUED_MS / b.ack().p95()));
            row(out, "", "submit -> all receipts accepted", b.receipted().cell(), "", "");
            cpu(out, b.cpu());
            timers(out, b.serverTimers());
        }
        if (large != null) {
            LargeFileScenario.Result l = large;
            row(out, "large", String.format(Locale.ROOT, "%s submit -> stored at %s", Sizes.format(l.bytes()), l.office()),
                    l.completed() ? String.format(Locale.ROOT, "%.1f MB/s (%.1f s)", l.megabytesPerSecond(), l.endToEndSeconds()) : "FAILED",
                    ">= 200 MB/s", l.completed() ? ratio(l.megabytesPerSecond() / LargeFileScenario.TARGET_MB_PER_S) : "-");
            row(out, "", "  seal + upload + accept / deliver + open + store",
                    seconds(l.sealUploadAcceptSeconds()) + " / " + seconds(l.deliverSeconds()), "", "");
            row(out, "", "server heap: max, peak used, OutOfMemoryError", mib(l.serverHeapMax()) + ", " + mib(l.serverHeapPeak()) + ", "
                    + (l.serverOutOfMemory() ? "YES" : "no"), "<= 256 MiB", "");
            row(out, "", "server RSS peak; this JVM's heap peak (of max)", mib(l.serverRssPeak()) + "; " + mib(l.benchHeapPeak())
                    + " (" + mib(l.benchHeapMax()) + ")", "", "");
            if (l.failure() != null) {
                row(out, "", "failure", l.failure(), "", "");
            }
            cpu(out, l.cpu());
        }
        if (batch != null) {
            BatchScenario.Result b = batch;
            row(out, "batch", String.format(Locale.ROOT, "%d files of %s to %d offices, time to fully delivered", b.settings().files(),
                    Sizes.format(b.settings().fileSize()), b.offices()), b.deliveredSeconds() > 0
                    ? String.format(Locale.ROOT, "%.1f s (%.0f deliveries/s)", b.deliveredSeconds(), b.deliveries() / b.deliveredSeconds())
                    : "not reached", "", "");
            row(out, "", "sent (all acknowledged), incl. the cut and the resume", seconds(b.sendSeconds()), "", "");
            if (b.settings().interruptAfter() > 0) {
                row(out, "", "cut off at / resent after / answered as already stored", b.acknowledgedAtInterruption() + " / "
                        + b.resentAfterResume() + " / " + b.answeredAsDuplicate(), "", "");
            }
            row(out, "", "exchange: new documents / duplicate submissions", b.serverAccepted() + " / " + b.serverDuplicates(), "", "");
            if (b.view() != null) {
                row(out, "", "batch view: accepted, offices complete", b.view().accepted() + " of " + b.view().size() + ", "
                        + b.view().officesComplete() + " of " + b.view().officesAddressed(), "", "");
            }
            b.failures().forEach(f -> row(out, "", "PROBLEM", f, "", ""));
            cpu(out, b.cpu());
            timers(out, b.serverTimers());
        }
        out.println();
        if (check != null) {
            out.printf(Locale.ROOT, "check: %d documents, %d deliveries expected: %d stored once, %d receipts accepted, %d in inboxes on disk;"
                    + " %d duplicated, %d misrouted, %d altered, %d missing, %d receipts missing, %d failed sends -> %s%n",
                    check.documents(), check.expectedDeliveries(), check.stored(), check.receipted(), check.onDisk(), check.duplicates(),
                    check.misrouted(), check.corrupted(), check.missing(), check.missingReceipts(), check.failures(),
                    check.passed() ? "PASSED" : "FAILED");
            check.problems().forEach(p -> out.println("  problem: " + p));
            if (check.foreign() > 0) {
                out.printf(Locale.ROOT, "  (%d documents not of this run were delivered to the bench's offices and ignored)%n", check.foreign());
            }
        }
        if (aborted != null) {
            out.println("aborted: " + aborted);
        }
        out.println(passed() ? "RESULT: every document reached every addressed office exactly once"
                : "RESULT: FAILED (see above)");
        out.flush();
    }

    private static void cpu(PrintWriter out, CpuMeter.Usage u) {
        row(out, "", "CPU, cores busy on average", String.format(Locale.ROOT,
                "clients %.2f, server %s, PostgreSQL %s, other %s, steal %s, idle %s", u.bench(), num(u.server()), num(u.postgres()),
                num(u.other()), num(u.steal()), num(u.idle())), "", "");
        if (!u.busiestOthers().isEmpty()) {
            row(out, "", "  busiest other processes", String.join(", ", u.busiestOthers()), "", "");
        }
    }

    private static void timers(PrintWriter out, Map<String, Object> timers) {
        StringBuilder b = new StringBuilder();
        timers.forEach((name, v) -> {
            Map<?, ?> m = (Map<?, ?>) v;
            b.append(b.isEmpty() ? "" : ", ").append(name.replace("pouch.", "")).append(' ')
                    .append(String.format(Locale.ROOT, "%.1f", (Double) m.get("meanMs"))).append(" ms");
        });
        if (!b.isEmpty()) {
            row(out, "", "server timers, mean per event", b.toString(), "", "");
        }
    }

    private static void row(PrintWriter out, String a, String b, String c, String d, String e) {
        out.printf(Locale.ROOT, "%-11s %-58s %-40s %-12s %s%n", a, b, c, d, e);
    }

    private static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "?" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }

    /** Seconds with one decimal, or "not reached" for a phase that did not finish (NaN). */
    private static String seconds(double s) {
        return Double.isFinite(s) ? String.format(Locale.ROOT, "%.1f s", s) : "not reached";
    }
}
