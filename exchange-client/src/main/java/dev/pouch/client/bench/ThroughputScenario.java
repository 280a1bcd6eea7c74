package dev.pouch.client.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Documents per second end to end: every sender keeps {@code inFlight} documents going, each to
 * {@code recipients} offices taken in turn so that all offices receive; a document counts once it
 * is stored by all its offices and all their receipts are accepted. The rate is the documents of
 * the measured phase over the time from its start until the last of them was done.
 */
final class ThroughputScenario {

    record Settings(long documents, Duration duration, int size, int recipients, int inFlight, int warmup) {
    }

    record Result(Settings settings, int senders, int offices, long sent, long done, double seconds, double sendSeconds,
            Latencies ack, Latencies delivered, Latencies receipted, CpuMeter.Usage cpu, Map<String, Object> serverTimers,
            boolean completed) {

        double docsPerSecond() {
            return seconds > 0 ? done / seconds : 0;
        }

        /** CPU time per document done, by process, in ms (cores x 1000 / documents per second). */
        Map<String, Object> cpuMsPerDocument() {
            Map<String, Object> m = new LinkedHashMap<>();
            double rate = docsPerSecond();
            if (rate > 0) {
                m.put("benchClients", cpu.bench() * 1000 / rate);
                m.put("serverJvm", cpu.server() * 1000 / rate);
                m.put("postgres", cpu.postgres() * 1000 / rate);
            }
            return m;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("documentBytes", settings.size());
            m.put("recipientsPerDocument", settings.recipients());
            m.put("senders", senders);
            m.put("inFlightPerSender", settings.inFlight());
            m.put("offices", offices);
            m.put("warmupDocuments", settings.warmup());
            m.put("documentsSent", sent);
            m.put("documentsDone", done);
            m.put("completedWithinTimeout", completed);
            m.put("seconds", seconds);
            m.put("documentsPerSecond", docsPerSecond());
            m.put("submittedPerSecond", sendSeconds > 0 ? sent / sendSeconds : 0);
            m.put("target", 500);
            m.put("ratioToTarget", docsPerSecond() / 500);
            m.put("submitToAck", ack.json());
            m.put("submitToDelivered", delivered.json());
            m.put("submitToReceipted", receipted.json());
            m.put("cpu", cpu.json());
            m.put("cpuMsPerDocument", cpuMsPerDocument());
            m.put("serverTimers", serverTimers);
            return m;
        }
    }

    private ThroughputScenario() {
    }

    static Result run(Run run, Settings s) {
        List<String> offices = run.fleet().officeCodes();
        int k = Math.min(s.recipients(), offices.size());
        if (s.warmup() > 0) {
            run.progress("throughput: warming up with %d documents", s.warmup());
            List<UUID> warm = phase(run, s, offices, k, s.warmup(), null);
            run.tracker().awaitDone(warm, run.timeout());
        }
        run.progress("throughput: %s documents of %s to %d office(s) each, %d senders x %d in flight",
                s.documents() > 0 ? String.valueOf(s.documents()) : "as many as fit in " + s.duration().toSeconds() + " s of",
                Sizes.format(s.size()), k, run.fleet().senders().size(), s.inFlight());
        var timers0 = run.server().timers();
        CpuMeter.Sample cpu0 = run.cpu().sample();
        long start = System.nanoTime();
        long[] sendEnd = new long[1];
        List<UUID> ids = phase(run, s, offices, k, s.documents(), sendEnd);
        run.progress("throughput: %d sent in %.1f s; waiting for the last deliveries and receipts", ids.size(),
                (sendEnd[0] - start) / 1e9);
        boolean completed = run.tracker().awaitDone(ids, run.timeout());
        long last = run.tracker().lastDone(ids);
        CpuMeter.Sample cpu1 = run.cpu().sample();
        var timers1 = run.server().timers();
        long done = run.tracker().doneCount(ids);
        return new Result(s, run.fleet().senders().size(), offices.size(), ids.size(), done,
                last > start ? (last - start) / 1e9 : 0, (sendEnd[0] - start) / 1e9,
                Latencies.ofNanos(run.tracker().ackLatencies(ids)), Latencies.ofNanos(run.tracker().deliveredLatencies(ids)),
                Latencies.ofNanos(run.tracker().doneLatencies(ids)), CpuMeter.between(cpu0, cpu1),
                ServerMetrics.meansMs(timers0, timers1), completed);
    }

    /**
     * Sends {@code count} documents (or, with count 0, as many as {@code s.duration()} allows),
     * from every sender's threads at once; stops at the first failure. Returns the ids sent.
     */
    private static List<UUID> phase(Run run, Settings s, List<String> offices, int k, long count, long[] sendEnd) {
        AtomicLong next = new AtomicLong();
        AtomicBoolean failed = new AtomicBoolean();
        ConcurrentLinkedQueue<UUID> ids = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + s.duration().toNanos();
        List<Thread> threads = new ArrayList<>();
        for (Fleet.Sender sender : run.fleet().senders()) {
            for (int t = 0; t < s.inFlight(); t++) {
                SplittableRandom random = new SplittableRandom(sender.organization().hashCode() * 31L + t);
                threads.add(Thread.ofPlatform().name("bench-" + sender.organization() + "-" + t).start(() -> {
                    while (!failed.get()) {
                        long i = next.getAndIncrement();
                        if (count > 0 ? i >= count : System.nanoTime() >= deadline) {
                            return;
                        }
                        List<String> to = new ArrayList<>(k);
                        for (int j = 0; j < k; j++) {
                            to.add(offices.get((int) ((i * k + j) % offices.size())));
                        }
                        Run.Outgoing o = run.notice(sender, to, s.size(), random, "t");
                        ids.add(o.expected().id());
                        if (!run.send(sender, o)) {
                            failed.set(true);
                        }
                    }
                }));
            }
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.set(true);
            }
        }
        if (sendEnd != null) {
            sendEnd[0] = System.nanoTime();
        }
        return List.copyOf(ids);
    }
}
