package dev.pouch.client.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A notice to every connected office, {@code count} times one after another (after one for
 * warm-up), each waited for until every office stored it and returned its receipt. What counts is
 * the spread over offices: submit → stored at each office, p99 over all (office, notice) pairs,
 * against the target of 1 s; and submit → the exchange's answer, which it gives once the notice is
 * stored and queued for all (target 200 ms).
 */
final class BroadcastScenario {

    static final double TARGET_P99_MS = 1000;
    static final double TARGET_QUEUED_MS = 200;
    /** A notice not done in a minute is a failure anyway (the target is a second); waiting longer only delays the report. */
    private static final java.time.Duration NOTICE_WAIT = java.time.Duration.ofMinutes(1);

    record Result(int count, int offices, int size, long done, Latencies ack, Latencies storedPerOffice,
            List<Double> p99PerNotice, List<Double> maxPerNotice, Latencies receipted, CpuMeter.Usage cpu,
            Map<String, Object> serverTimers, boolean completed) {

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("noticesMeasured", count);
            m.put("offices", offices);
            m.put("documentBytes", size);
            m.put("noticesDone", done);
            m.put("completedWithinTimeout", completed);
            m.put("submitToAck", ack.json());
            m.put("queuedTargetMs", TARGET_QUEUED_MS);
            m.put("ratioToQueuedTarget", TARGET_QUEUED_MS / ack.p95());
            m.put("submitToStoredPerOffice", storedPerOffice.json());
            m.put("targetP99Ms", TARGET_P99_MS);
            m.put("ratioToTarget", TARGET_P99_MS / storedPerOffice.p99());
            m.put("p99MsPerNotice", p99PerNotice);
            m.put("maxMsPerNotice", maxPerNotice);
            m.put("submitToAllReceipted", receipted.json());
            m.put("cpu", cpu.json());
            m.put("serverTimers", serverTimers);
            return m;
        }
    }

    private BroadcastScenario() {
    }

    static Result run(Run run, int count, int size) {
        Fleet.Sender sender = run.fleet().senders().getFirst();
        List<String> offices = run.fleet().officeCodes();
        SplittableRandom random = new SplittableRandom(42);
        java.time.Duration wait = run.timeout().compareTo(NOTICE_WAIT) < 0 ? run.timeout() : NOTICE_WAIT;
        run.progress("broadcast: 1 + %d notices of %s from %s to %d offices", count, Sizes.format(size), sender.organization(),
                offices.size());
        Run.Outgoing warm = run.notice(sender, offices, size, random, "b");
        if (run.send(sender, warm)) {
            run.tracker().awaitDone(List.of(warm.expected().id()), wait);
        }
        var timers0 = run.server().timers();
        CpuMeter.Sample cpu0 = run.cpu().sample();
        List<UUID> ids = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        List<Double> maxes = new ArrayList<>();
        boolean completed = true;
        for (int i = 0; i < count && completed; i++) {
            Run.Outgoing o = run.notice(sender, offices, size, random, "b");
            ids.add(o.expected().id());
            if (!run.send(sender, o)) {
                break;
            }
            completed = run.tracker().awaitDone(List.of(o.expected().id()), wait);
            Latencies one = Latencies.ofNanos(run.tracker().storedLatenciesPerOffice(List.of(o.expected().id())));
            p99s.add(one.p99());
            maxes.add(one.max());
            run.progress("broadcast %d/%d: stored by %d offices, p99 %.0f ms, max %.0f ms", i + 1, count, one.count(), one.p99(),
                    one.max());
        }
        CpuMeter.Sample cpu1 = run.cpu().sample();
        var timers1 = run.server().timers();
        return new Result(ids.size(), offices.size(), size, run.tracker().doneCount(ids), Latencies.ofNanos(run.tracker().ackLatencies(ids)),
                Latencies.ofNanos(run.tracker().storedLatenciesPerOffice(ids)), p99s, maxes,
                Latencies.ofNanos(run.tracker().doneLatencies(ids)), CpuMeter.between(cpu0, cpu1),
                ServerMetrics.meansMs(timers0, timers1), completed);
    }
}
