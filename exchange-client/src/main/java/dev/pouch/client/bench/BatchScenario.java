package dev.pouch.client.bench;

import dev.pouch.client.BatchJournal;
import dev.pouch.client.BatchRequest;
import dev.pouch.client.BatchSender;
import dev.pouch.client.BatchStatus;
import dev.pouch.client.ClientException;
import dev.pouch.client.ExchangeApi;
import dev.pouch.client.ExchangeClient;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.pki.Credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A folder of small statistics files sent as one batch to every connected office (the real case:
 * 1,061 files to all 207 offices), the way {@code pouch send --batch} sends it — and, unless told
 * otherwise, interrupted: after {@code interruptAfter} acknowledgements the sender's client is
 * closed under its running uploads (as if its process died), and a new client resumes the batch
 * from the journal in the same store. Measured: time from the first document sent to every
 * office holding every document with its receipt accepted. Checked: every office stored every
 * document exactly once (the tracker), the exchange's batch view says every office is complete,
 * the exchange accepted exactly the batch's documents once each and answered as a duplicate no
 * more than the documents in flight when the sender was cut off.
 */
final class BatchScenario {

    /** How the batch is sent; {@code interruptAfter} 0 sends it in one run. */
    record Settings(int files, int fileSize, int inFlight, int interruptAfter) {
    }

    /** What the exchange, the sender and the shared parts of the bench give the scenario. */
    record Context(Credentials senderCredentials, String host, int port, URI api, AdminApi admin) {
    }

    record Result(Settings settings, int offices, UUID batchId, long deliveries, double sendSeconds, double deliveredSeconds,
            int acknowledgedAtInterruption, int resentAfterResume, int answeredAsDuplicate, long serverAccepted, long serverDuplicates,
            BatchStatus view, boolean completed, List<String> failures, CpuMeter.Usage cpu, Map<String, Object> serverTimers) {

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("files", settings.files());
            m.put("fileBytes", settings.fileSize());
            m.put("offices", offices);
            m.put("deliveries", deliveries);
            m.put("inFlight", settings.inFlight());
            m.put("batchId", String.valueOf(batchId));
            m.put("sendSeconds", sendSeconds);
            m.put("fullyDeliveredSeconds", deliveredSeconds);
            m.put("deliveriesPerSecond", deliveredSeconds > 0 ? deliveries / deliveredSeconds : 0);
            m.put("interruptedAfter", settings.interruptAfter());
            m.put("acknowledgedAtInterruption", acknowledgedAtInterruption);
            m.put("sentAfterResume", resentAfterResume);
            m.put("answeredAsDuplicateAfterResume", answeredAsDuplicate);
            m.put("serverSubmissionsAccepted", serverAccepted);
            m.put("serverSubmissionsDuplicate", serverDuplicates);
            if (view != null) {
                m.put("batchView", Map.of("accepted", view.accepted(), "size", view.size(), "officesComplete", view.officesComplete(),
                        "officesAddressed", view.officesAddressed(), "deliveriesDelivered", view.deliveriesDelivered(),
                        "complete", view.complete()));
            }
            m.put("completed", completed);
            m.put("failures", failures);
            m.put("cpu", cpu.json());
            m.put("serverTimers", serverTimers);
            return m;
        }
    }

    private BatchScenario() {
    }

    static Result run(Run run, Settings s, Context context) {
        Fleet.Sender sender = run.fleet().senders().getFirst();
        List<String> offices = run.fleet().officeCodes();
        List<String> failures = new ArrayList<>();
        Path folder = writeFiles(sender.outbox().resolve("batch-" + run.prefix()), s);
        Path store = sender.client().store().root().resolveSibling(sender.organization() + "-batch");
        run.progress("batch: %d files of %s from %s to %d offices, %d in flight%s", s.files(), Sizes.format(s.fileSize()),
                sender.organization(), offices.size(), s.inFlight(),
                s.interruptAfter() > 0 ? ", the sender cut off after " + s.interruptAfter() + " acknowledgements and resumed" : "");

        var timers0 = run.server().timers();
        CpuMeter.Sample cpu0 = run.cpu().sample();
        double accepted0 = submissions(context.admin(), "accepted");
        double duplicates0 = submissions(context.admin(), "duplicate");

        AtomicBoolean registered = new AtomicBoolean();
        List<UUID> ids = new ArrayList<>();
        AtomicInteger acknowledgedAtInterruption = new AtomicInteger(-1);
        final long start = System.nanoTime();
        BatchRequest request;
        BatchSender.Result second = null;
        UUID batchId = null;
        try (ExchangeClient first = client(context, store, run.timeout())) {
            List<String> to = allOffices(first, offices) ? List.of(ExchangeClient.ALL_OFFICES) : offices;
            request = BatchRequest.of(folder, run.prefix() + "-batch", DocumentType.STATISTICS, "Bench batch " + run.prefix(),
                    Classification.INTERNAL, Precedence.ROUTINE, to, List.of(), Optional.empty());
            BatchSender.Listener listener = new BatchSender.Listener() {
                @Override
                public void planned(BatchJournal journal, boolean resumed, int pending) {
                    if (registered.compareAndSet(false, true)) {
                        for (BatchJournal.Entry e : journal.entries()) {
                            run.tracker().expect(new DeliveryTracker.Expected(e.documentId(), e.number(), sender.organization(),
                                    Set.copyOf(offices), HexFormat.of().parseHex(e.sha256()), e.size()));
                            ids.add(e.documentId());
                        }
                    }
                }

                @Override
                public void acknowledged(BatchJournal.Entry entry, ExchangeClient.Sent sent, int acknowledged, int size) {
                    run.tracker().acknowledged(entry.documentId());
                    if (acknowledged % 100 == 0) {
                        run.progress("batch: %d of %d acknowledged (%.0f s)", acknowledged, size, (System.nanoTime() - start) / 1e9);
                    }
                    if (s.interruptAfter() > 0 && acknowledged >= s.interruptAfter()
                            && acknowledgedAtInterruption.compareAndSet(-1, acknowledged)) {
                        Thread.ofPlatform().start(first::close); // the sender's process dies, uploads in flight
                    }
                }
            };
            try {
                BatchSender.Result r = BatchSender.of(first, s.inFlight()).listener(listener).send(request, Optional.empty());
                batchId = r.batchId();
                if (s.interruptAfter() > 0) {
                    failures.add("the sender was to be cut off after " + s.interruptAfter() + " acknowledgements but finished first");
                }
            } catch (ClientException e) {
                if (acknowledgedAtInterruption.get() < 0) {
                    throw e;
                }
                run.progress("batch: sender cut off (%s)", e.getMessage());
            }
            if (acknowledgedAtInterruption.get() >= 0) {
                try (ExchangeClient resumed = client(context, store, run.timeout())) {
                    second = BatchSender.of(resumed, s.inFlight()).listener(listener).send(request, Optional.empty());
                    batchId = second.batchId();
                    run.progress("batch: resumed %s: %d acknowledged before, %d sent now, %d the exchange already had", batchId,
                            second.acknowledgedBefore(), second.sentNow(), second.duplicates());
                }
            }
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + run.timeout().toNanos();
        boolean done = false;
        while (!done && System.nanoTime() < deadline) {
            done = run.tracker().awaitDone(ids, Duration.ofSeconds(30));
            run.progress("batch: %d of %d documents stored by every office with receipts (%.0f s)", run.tracker().doneCount(ids),
                    ids.size(), (System.nanoTime() - start) / 1e9);
        }
        long last = run.tracker().lastDone(ids);
        double deliveredSeconds = done && last > start ? (last - start) / 1e9 : 0;
        CpuMeter.Sample cpu1 = run.cpu().sample();
        var timers1 = run.server().timers();
        run.progress("batch: %s in %.1f s (sent in %.1f s)", done ? "every office holds every document" : "NOT fully delivered",
                deliveredSeconds, sendSeconds);

        long accepted = Math.round(submissions(context.admin(), "accepted") - accepted0);
        long duplicates = Math.round(submissions(context.admin(), "duplicate") - duplicates0);
        BatchStatus view = null;
        if (batchId != null) {
            try {
                view = BatchStatus.fetch(new ExchangeApi(context.api(), context.senderCredentials(), Duration.ofMinutes(1)), batchId);
            } catch (ClientException e) {
                failures.add("the batch view could not be read: " + e.getMessage());
            }
        }
        if (!done) {
            failures.add("not every office received every document within " + run.timeout());
        }
        if (view != null && (view.accepted() != s.files() || view.officesComplete() != offices.size()
                || view.officesAddressed() != offices.size() || !view.complete())) {
            failures.add("the batch view disagrees: " + view.accepted() + " of " + s.files() + " accepted, " + view.officesComplete()
                    + " of " + view.officesAddressed() + " offices complete (" + offices.size() + " addressed)");
        }
        if (accepted != s.files()) {
            failures.add("the exchange accepted " + accepted + " new documents, the batch has " + s.files());
        }
        int resent = second == null ? 0 : second.sentNow();
        int answeredDuplicate = second == null ? 0 : second.duplicates();
        if (duplicates != answeredDuplicate || duplicates > s.inFlight()) {
            failures.add("the exchange answered " + duplicates + " resubmissions as duplicates; the resumed sender saw "
                    + answeredDuplicate + " (at most " + s.inFlight() + " were in flight)");
        }
        if (second != null && second.acknowledgedBefore() + second.sentNow() != s.files()) {
            failures.add("acknowledged before the cut + sent after it = " + (second.acknowledgedBefore() + second.sentNow())
                    + ", not " + s.files());
        }
        failures.forEach(f -> run.progress("batch: PROBLEM: %s", f));
        deleteTree(folder);
        return new Result(s, offices.size(), batchId, (long) s.files() * offices.size(), sendSeconds, deliveredSeconds,
                acknowledgedAtInterruption.get(), resent, answeredDuplicate, accepted, duplicates, view,
                done && failures.isEmpty(), failures, CpuMeter.between(cpu0, cpu1), ServerMetrics.meansMs(timers0, timers1));
    }

    private static ExchangeClient client(Context context, Path store, Duration timeout) {
        ExchangeClient c = ExchangeClient.builder().credentials(context.senderCredentials()).server(context.host(), context.port())
                .store(store).timeout(timeout).takesDeliveries(false).build();
        try {
            return c.awaitConnected();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Whether the connected offices are every office of the exchange (then the batch says {@code all}). */
    private static boolean allOffices(ExchangeClient client, List<String> offices) {
        List<OrgCode> all = client.address(List.of(ExchangeClient.ALL_OFFICES), List.of()).action();
        return all.size() == offices.size() && all.stream().map(OrgCode::value).toList().containsAll(offices);
    }

    private static double submissions(AdminApi admin, String outcome) {
        return admin.metric("pouch.submissions", "outcome:" + outcome).flatMap(j -> BenchJson.measurement(j, "COUNT")).orElse(0.0);
    }

    private static Path writeFiles(Path folder, Settings s) {
        try {
            Files.createDirectories(folder);
            SplittableRandom random = new SplittableRandom(1061);
            int width = Math.max(4, Integer.toString(s.files()).length());
            for (int i = 1; i <= s.files(); i++) {
                Content.statistics(folder.resolve(String.format("trade-statistics-%0" + width + "d.csv", i)), s.fileSize(), random);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        dev.pouch.client.LocalStore.deleteTree(dir);
    }
}
