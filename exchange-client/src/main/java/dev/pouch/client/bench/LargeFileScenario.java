package dev.pouch.client.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One large statistics file (1 GiB by default) from an HQ sender to one office, end to end:
 * sealed into parts, uploaded, accepted, delivered, opened, stored and receipted. The rate is the
 * file's size over submit → stored at the office (target 200 MB/s, with the server's heap at most
 * 256 MiB); memory is sampled throughout — the server's heap and RSS, and this JVM's heap (the
 * sender and the receiving office both run here).
 */
final class LargeFileScenario {

    static final double TARGET_MB_PER_S = 200;

    /** An error thrown on some worker thread (an OutOfMemoryError, say), for the report. */
    static final AtomicReference<Throwable> UNCAUGHT = new AtomicReference<>();

    record Result(long bytes, String office, boolean completed, double sealUploadAcceptSeconds, double deliverSeconds,
            double endToEndSeconds, double receiptedSeconds, long serverHeapPeak, long serverHeapMax, long serverRssPeak,
            long benchHeapPeak, long benchHeapMax, boolean serverOutOfMemory, CpuMeter.Usage cpu, Map<String, Object> serverTimers,
            String failure) {

        double megabytesPerSecond() {
            return endToEndSeconds > 0 ? bytes / 1e6 / endToEndSeconds : 0;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bytes", bytes);
            m.put("office", office);
            m.put("completed", completed);
            m.put("submitToAckSeconds", sealUploadAcceptSeconds);
            m.put("ackToStoredSeconds", deliverSeconds);
            m.put("submitToStoredSeconds", endToEndSeconds);
            m.put("submitToReceiptedSeconds", receiptedSeconds);
            m.put("megabytesPerSecond", megabytesPerSecond());
            m.put("targetMegabytesPerSecond", TARGET_MB_PER_S);
            m.put("ratioToTarget", megabytesPerSecond() / TARGET_MB_PER_S);
            m.put("serverHeapPeakBytes", serverHeapPeak);
            m.put("serverHeapMaxBytes", serverHeapMax);
            m.put("serverRssPeakBytes", serverRssPeak);
            m.put("benchHeapPeakBytes", benchHeapPeak);
            m.put("benchHeapMaxBytes", benchHeapMax);
            m.put("serverOutOfMemoryError", serverOutOfMemory);
            m.put("cpu", cpu.json());
            m.put("serverTimers", serverTimers);
            m.put("failure", failure);
            return m;
        }
    }

    private LargeFileScenario() {
    }

    /** {@code serverLog} supplies the started server's output so far (empty for a server elsewhere). */
    static Result run(Run run, long size, java.util.function.Supplier<String> serverLog) {
        Fleet.Sender sender = run.fleet().senders().getFirst();
        String office = run.fleet().officeCodes().getFirst();
        run.progress("large: writing a %s statistics file", Sizes.format(size));
        Run.Outgoing o = run.statistics(sender, List.of(office), size, new SplittableRandom(7));
        UUID id = o.expected().id();
        System.gc(); // start the memory samples from a clean heap
        run.progress("large: sending %s from %s to %s (this JVM's heap may grow to %s)", Sizes.format(size), sender.organization(),
                office, Sizes.format(Runtime.getRuntime().maxMemory()));
        var timers0 = run.server().timers();
        CpuMeter.Sample cpu0 = run.cpu().sample();
        boolean completed = false;
        double ack = Double.NaN;
        String failure = null;
        try (ServerMetrics.PeakSampler memory = run.server().new PeakSampler(200)) {
            if (run.send(sender, o)) {
                ack = (System.nanoTime() - run.tracker().submittedAt(id)) / 1e9;
                run.progress("large: accepted after %.1f s; waiting for %s to store it", ack, office);
                completed = run.tracker().awaitDone(List.of(id), run.timeout());
            }
            CpuMeter.Sample cpu1 = run.cpu().sample();
            var timers1 = run.server().timers();
            if (!completed) {
                Throwable t = UNCAUGHT.get();
                failure = "not stored and receipted within " + run.timeout() + (t == null ? "" : "; a worker thread failed with " + t);
            }
            long[] stored = run.tracker().deliveredLatencies(List.of(id));
            long[] receipted = run.tracker().doneLatencies(List.of(id));
            double endToEnd = stored.length == 1 ? stored[0] / 1e9 : Double.NaN;
            run.progress("large: verifying what %s stored", office);
            run.tracker().verifyDeferredContents();
            return new Result(size, office, completed, ack, endToEnd - ack, endToEnd,
                    receipted.length == 1 ? receipted[0] / 1e9 : Double.NaN, memory.serverHeap(),
                    run.server().heapMax().orElse(-1), memory.serverRss(), memory.benchHeap(), Runtime.getRuntime().maxMemory(),
                    serverLog.get().contains("OutOfMemoryError"), CpuMeter.between(cpu0, cpu1), ServerMetrics.meansMs(timers0, timers1),
                    failure);
        }
    }
}
