package dev.pouch.server.bench;

import dev.pouch.protocol.message.Submit;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Organization;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Exchange-server benchmarks, run as a program (not a test), against a real server in this JVM
 * with its embedded PostgreSQL and Artemis, and real offices connected over mutual TLS:
 * <pre>
 * submit SENDERS DOCS   SENDERS HQ departments each submit DOCS pre-sealed 16 KiB notices, one at
 *                       a time, all senders at once; beside it, in the same run, the same senders
 *                       only uploading the same bytes (the transport and blob-store limit)
 * broadcast COUNT       COUNT notices, one after another, each to all 207 offices: the time from
 *                       Submit to SubmitAck, when the document is stored and queued for every office
 * </pre>
 * Arguments starting with {@code --} are passed to the server (e.g. {@code --pouch.exchange.worker-threads=32}).
 * Recipients stay offline, so what is measured is acceptance and queueing, not delivery.
 * See docs/benchmarks.md for the commands and results.
 */
public final class ServerBench {

    private static final int DOCUMENT = 16 * 1024;

    private ServerBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "submit";
        String[] serverArgs = Arrays.stream(args).filter(a -> a.startsWith("--")).toArray(String[]::new);
        args = Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
        Path dir = TestServer.tempDir();
        try (TestServer server = TestServer.start(dir, serverArgs)) {
            switch (mode) {
                case "submit" -> submit(server, intArg(args, 1, 4), intArg(args, 2, 500));
                case "broadcast" -> broadcast(server, intArg(args, 1, 30));
                default -> throw new IllegalArgumentException("modes: submit SENDERS DOCS | broadcast COUNT");
            }
        } finally {
            TestServer.deleteTree(dir);
        }
        System.exit(0);
    }

    private static void submit(TestServer server, int senderCount, int docs) throws Exception {
        List<String> hq = server.bean(Directory.class).all().stream().map(Organization::code).map(Object::toString)
                .filter(c -> c.startsWith("HQ-")).limit(senderCount).toList();
        List<String> offices = List.of("FR-EMB", "DE-EMB", "IT-EMB", "ES-EMB", "JP-EMB", "KE-EMB", "BR-EMB", "SG-EMB");
        offices.forEach(o -> server.enrol(o, "officer"));
        List<TestOffice> senders = new ArrayList<>();
        for (String code : hq) {
            senders.add(server.connect(server.enrol(code, "bench")).awaitConnected());
        }
        int warmup = Math.max(20, docs / 5);
        System.out.printf("sealing %d documents of %d bytes for %d senders...%n", (docs + warmup) * senderCount, DOCUMENT, senderCount);
        List<List<Sealed>> work = new ArrayList<>();
        for (int s = 0; s < senders.size(); s++) {
            List<Sealed> list = new ArrayList<>();
            for (int i = 0; i < docs + warmup; i++) {
                Letters.Letter l = Letters.notice(hq.get(s), List.of(offices.get((s + i) % offices.size())), Letters.text(DOCUMENT));
                list.add(new Sealed(l.id(), senders.get(s).seal(l.header(), l.content())));
            }
            work.add(list);
        }
        System.out.printf("sealed; %d bytes each%n", work.getFirst().getFirst().bytes().length);

        // Warm-up: the JIT, the pools, PostgreSQL's caches.
        run(senders, s -> work.get(s).subList(0, warmup), true);

        MeterRegistry metrics = server.bean(MeterRegistry.class);
        Snapshot accept0 = Snapshot.of(metrics, "pouch.submission.accept");
        Snapshot store0 = Snapshot.of(metrics, "pouch.submission.store");
        Snapshot send0 = Snapshot.of(metrics, "pouch.routing.send");
        Result submitted = run(senders, s -> work.get(s).subList(warmup, warmup + docs), true);
        Snapshot accept = Snapshot.of(metrics, "pouch.submission.accept").minus(accept0);
        Snapshot store = Snapshot.of(metrics, "pouch.submission.store").minus(store0);
        Snapshot send = Snapshot.of(metrics, "pouch.routing.send").minus(send0);

        Result uploaded = run(senders, s -> work.get(s).subList(warmup, warmup + docs), false);

        System.out.printf(Locale.ROOT, "%n%d senders x %d documents of 16 KiB%n", senderCount, docs);
        System.out.printf(Locale.ROOT, "submissions accepted: %,.0f /s  (latency per document p50 %.1f ms, p95 %.1f ms, max %.1f ms)%n",
                submitted.rate(), submitted.percentile(50), submitted.percentile(95), submitted.percentile(100));
        System.out.printf(Locale.ROOT, "upload only, same senders, same bytes: %,.0f /s  -> ratio %.2f%n",
                uploaded.rate(), submitted.rate() / uploaded.rate());
        System.out.printf(Locale.ROOT, "server, per document from Submit to SubmitAck: %.2f ms (%d documents)%n", accept.meanMs(), accept.count());
        System.out.printf(Locale.ROOT, "  PostgreSQL transaction (document, routing rows, audit): %.2f ms = %.0f%%%n",
                store.meanMs(), 100 * store.meanMs() / accept.meanMs());
        System.out.printf(Locale.ROOT, "  broker transaction (durable messages):                  %.2f ms = %.0f%%%n",
                send.meanMs(), 100 * send.meanMs() / accept.meanMs());
        System.out.printf(Locale.ROOT, "  the rest (opening the archive copy, checks, inspection): %.2f ms%n",
                accept.meanMs() - store.meanMs() - send.meanMs());
    }

    private static void broadcast(TestServer server, int count) {
        List<String> all = server.bean(Directory.class).all().stream().filter(o -> !o.code().toString().startsWith("HQ-"))
                .map(o -> o.code().toString()).toList();
        System.out.printf("enrolling %d offices...%n", all.size());
        all.forEach(o -> server.enrol(o, "officer"));
        TestOffice hq = server.connect(server.enrol("HQ-GO", "bench")).awaitConnected();
        int warmup = 10;
        List<Sealed> sealed = new ArrayList<>();
        for (int i = 0; i < count + warmup; i++) {
            Letters.Letter l = Letters.notice("HQ-GO", all, Letters.text(DOCUMENT));
            sealed.add(new Sealed(l.id(), hq.seal(l.header(), l.content())));
        }
        System.out.printf("sealed %d notices to %d offices, %d bytes each%n", sealed.size(), all.size(), sealed.getFirst().bytes().length);
        MeterRegistry metrics = server.bean(MeterRegistry.class);
        long[] roundTrip = new long[count];
        double[] accept = new double[count];
        double[] store = new double[count];
        double[] send = new double[count];
        for (int i = 0; i < count + warmup; i++) {
            Sealed s = sealed.get(i);
            String stream = "bench/" + s.id();
            hq.upload(stream, s.bytes());
            Snapshot a0 = Snapshot.of(metrics, "pouch.submission.accept");
            Snapshot st0 = Snapshot.of(metrics, "pouch.submission.store");
            Snapshot se0 = Snapshot.of(metrics, "pouch.routing.send");
            long t0 = System.nanoTime();
            hq.request(new Submit(s.id(), stream, List.of()));
            long t = System.nanoTime() - t0;
            if (i >= warmup) {
                int k = i - warmup;
                roundTrip[k] = t;
                accept[k] = Snapshot.of(metrics, "pouch.submission.accept").minus(a0).meanMs();
                store[k] = Snapshot.of(metrics, "pouch.submission.store").minus(st0).meanMs();
                send[k] = Snapshot.of(metrics, "pouch.routing.send").minus(se0).meanMs();
            }
        }
        Integer queued = server.jdbc().queryForObject("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL", Integer.class);
        System.out.printf(Locale.ROOT, "%n%d notices to %d offices (%d broker messages sent in all)%n", count, all.size(), queued);
        Arrays.sort(roundTrip);
        System.out.printf(Locale.ROOT, "client, Submit to SubmitAck (the upload done before): p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
                roundTrip[count / 2] / 1e6, roundTrip[(int) Math.ceil(count * 0.95) - 1] / 1e6, roundTrip[count - 1] / 1e6);
        report("server, stored and queued for all", accept);
        report("  of which the PostgreSQL transaction", store);
        report("  of which the broker transaction", send);
    }

    private static void report(String what, double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        System.out.printf(Locale.ROOT, "%s: p50 %.1f ms, p95 %.1f ms, max %.1f ms%n", what, sorted[n / 2],
                sorted[(int) Math.ceil(n * 0.95) - 1], sorted[n - 1]);
    }

    private record Sealed(UUID id, byte[] bytes) {
    }

    private interface Work {
        List<Sealed> of(int sender);
    }

    private record Result(long documents, long nanos, long[] latencies) {
        double rate() {
            return documents / (nanos / 1e9);
        }

        double percentile(int p) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int i = Math.max(0, (int) Math.ceil(sorted.length * p / 100.0) - 1);
            return sorted[i] / 1e6;
        }
    }

    /** Every sender works through its list on its own thread; all start together. */
    private static Result run(List<TestOffice> senders, Work work, boolean submit) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<long[]> latencies = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int s = 0; s < senders.size(); s++) {
            TestOffice sender = senders.get(s);
            List<Sealed> list = work.of(s);
            long[] lat = new long[list.size()];
            latencies.add(lat);
            threads.add(Thread.ofPlatform().name("sender-" + s).start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < list.size(); i++) {
                        Sealed d = list.get(i);
                        long t0 = System.nanoTime();
                        if (submit) {
                            sender.submitSealed(d.id(), d.bytes(), "bench/" + d.id());
                        } else {
                            sender.upload("only/" + d.id(), d.bytes());
                        }
                        lat[i] = System.nanoTime() - t0;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(10));
        }
        long nanos = System.nanoTime() - t0;
        if (failure.get() != null) {
            throw new IllegalStateException("a sender failed", failure.get());
        }
        long total = latencies.stream().mapToLong(l -> l.length).sum();
        return new Result(total, nanos, latencies.stream().flatMapToLong(Arrays::stream).toArray());
    }

    private record Snapshot(long count, double totalMs) {
        static Snapshot of(MeterRegistry metrics, String timer) {
            Timer t = metrics.get(timer).timer();
            return new Snapshot(t.count(), t.totalTime(TimeUnit.MILLISECONDS));
        }

        Snapshot minus(Snapshot before) {
            return new Snapshot(count - before.count, totalMs - before.totalMs);
        }

        double meanMs() {
            return count == 0 ? 0 : totalMs / count;
        }
    }

    private static int intArg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
