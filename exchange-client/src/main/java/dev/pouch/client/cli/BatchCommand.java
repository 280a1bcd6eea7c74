package dev.pouch.client.cli;

import dev.pouch.client.BatchJournal;
import dev.pouch.client.BatchRequest;
import dev.pouch.client.BatchSender;
import dev.pouch.client.BatchStatus;
import dev.pouch.client.ExchangeClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code pouch batch status|list}: how far a batch has come, per office, as the exchange tracks
 * it. Sending a batch is {@code pouch send --batch DIR} ({@link #send}).
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Track batches: many documents sent as one (pouch send --batch DIR ...).",
                "Needs the exchange's HTTPS interface (--api, default https://<server host>:8443)."},
        subcommands = {BatchCommand.Status.class, BatchCommand.ListBatches.class})
final class BatchCommand {

    /** {@code pouch batch status ID}: per addressed office, how much of the batch it has received. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Per addressed office: documents addressed, delivered (received by its client), signed for, complete.")
    static final class Status implements java.util.concurrent.Callable<Integer> {

        @Mixin
        ClientOptions client;

        @Mixin
        Output out;

        @Parameters(paramLabel = "ID", description = "The batch id (as pouch send --batch printed it).")
        UUID id;

        @Option(names = "--incomplete", description = "List only the offices that do not have the whole batch yet.")
        boolean incomplete;

        @Override
        public Integer call() {
            BatchStatus s = BatchStatus.fetch(client.api(), id);
            List<Map<String, Object>> offices = new ArrayList<>();
            for (BatchStatus.Office o : s.offices()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("organization", o.organization());
                row.put("region", o.region());
                row.put("addressed", o.addressed());
                row.put("delivered", o.delivered());
                row.put("signedFor", o.signedFor());
                row.put("complete", o.complete());
                offices.add(row);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ok", true);
            result.put("id", s.id().toString());
            result.put("issuer", s.issuer());
            result.put("size", s.size());
            result.put("accepted", s.accepted());
            result.put("createdAt", s.createdAt());
            result.put("complete", s.complete());
            result.put("officesAddressed", s.officesAddressed());
            result.put("officesComplete", s.officesComplete());
            result.put("deliveriesAddressed", s.deliveriesAddressed());
            result.put("deliveriesDelivered", s.deliveriesDelivered());
            result.put("deliveriesSignedFor", s.deliveriesSignedFor());
            result.put("offices", offices);
            out.result(result, () -> {
                PrintWriter w = out.out();
                w.printf(Locale.ROOT, "Batch %s of %s, created %s%n", s.id(), s.issuer(), StatusCommand.TIME.format(s.createdAt()));
                w.printf(Locale.ROOT, "  documents  %d of %d accepted%n", s.accepted(), s.size());
                w.printf(Locale.ROOT, "  offices    %d of %d complete%s%n", s.officesComplete(), s.officesAddressed(),
                        s.complete() ? " — the whole batch is delivered" : "");
                w.printf(Locale.ROOT, "  deliveries %d of %d delivered, %d signed for%n", s.deliveriesDelivered(),
                        s.deliveriesAddressed(), s.deliveriesSignedFor());
                w.println();
                List<List<String>> rows = s.offices().stream().filter(o -> !incomplete || !o.complete())
                        .map(o -> List.of(o.organization(), o.region(), Long.toString(o.addressed()), Long.toString(o.delivered()),
                                Long.toString(o.signedFor()), o.complete() ? "yes" : "no")).toList();
                out.table(List.of("OFFICE", "REGION", "ADDRESSED", "DELIVERED", "SIGNED FOR", "COMPLETE"), rows);
            });
            return 0;
        }
    }

    /** {@code pouch batch list}: the organization's batches, newest first. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Your organization's batches, newest first.")
    static final class ListBatches implements java.util.concurrent.Callable<Integer> {

        @Mixin
        ClientOptions client;

        @Mixin
        Output out;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}, at most 200).")
        int limit;

        @Override
        public Integer call() {
            List<BatchStatus.Summary> batches = BatchStatus.list(client.api(), limit);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (BatchStatus.Summary b : batches) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", b.id().toString());
                row.put("size", b.size());
                row.put("accepted", b.accepted());
                row.put("createdAt", b.createdAt());
                row.put("deliveriesAddressed", b.deliveriesAddressed());
                row.put("deliveriesDelivered", b.deliveriesDelivered());
                rows.add(row);
            }
            out.result(Map.of("ok", true, "batches", rows), () -> out.table(
                    List.of("BATCH", "CREATED", "ACCEPTED", "DELIVERED"),
                    batches.stream().map(b -> List.of(b.id().toString(), StatusCommand.TIME.format(b.createdAt()),
                            b.accepted() + " of " + b.size(), b.deliveriesDelivered() + " of " + b.deliveriesAddressed())).toList()));
            return 0;
        }
    }

    private BatchCommand() {
    }

    /**
     * {@code pouch send --batch DIR}: the folder's files as one batch, resumed if an earlier run of
     * the same command (or {@code --resume ID}) began it. Progress on standard error; the result
     * on standard output (JSON with {@code --json}).
     */
    static int send(ClientOptions client, Output out, Path store, BatchRequest request, Optional<UUID> resume, int inFlight) {
        List<Path> files = BatchSender.files(request.folder()); // the folder's mistakes, before connecting
        PrintWriter err = out.err();
        try (ExchangeClient c = client.connect(store)) {
            BatchSender sender = BatchSender.of(c, inFlight).listener(new BatchSender.Listener() {
                private int lastReported;

                @Override
                public void planned(BatchJournal journal, boolean resumed, int pending) {
                    if (!out.json()) {
                        err.printf(Locale.ROOT, "%s batch %s: %d files from %s, %d to send%s%n", resumed ? "Resuming" : "Sending",
                                journal.batchId(), journal.size(), journal.request().folder(), pending,
                                resumed ? " (" + journal.acknowledgedCount() + " already acknowledged)" : "");
                        err.flush();
                    }
                }

                @Override
                public synchronized void acknowledged(BatchJournal.Entry entry, ExchangeClient.Sent sent, int acknowledged, int size) {
                    int step = Math.max(1, size / 20);
                    if (!out.json() && (acknowledged - lastReported >= step || acknowledged == size)) {
                        lastReported = acknowledged;
                        err.printf(Locale.ROOT, "  %d of %d acknowledged (last: %s %s)%n", acknowledged, size, entry.number(),
                                entry.fileName());
                        err.flush();
                    }
                }
            });
            BatchSender.Result r = sender.send(request, resume);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ok", true);
            result.put("batchId", r.batchId().toString());
            result.put("size", r.size());
            result.put("files", files.size());
            result.put("resumed", r.resumed());
            result.put("acknowledgedBefore", r.acknowledgedBefore());
            result.put("sentNow", r.sentNow());
            result.put("alreadyStored", r.duplicates());
            result.put("seconds", r.elapsed().toMillis() / 1000.0);
            result.put("recipients", r.recipients().size());
            result.put("journal", r.journal().toString());
            out.result(result, () -> {
                PrintWriter w = out.out();
                w.println((r.sentNow() == 0 && r.resumed() ? "Already sent: batch " : "Sent: batch ") + r.batchId());
                w.printf(Locale.ROOT, "  documents    %d, numbered %s to %s%n", r.size(), request.number(1, r.size()),
                        request.number(r.size(), r.size()));
                w.printf(Locale.ROOT, "  this run     %d sent%s in %.1f s%s%n", r.sentNow(),
                        r.duplicates() > 0 ? " (" + r.duplicates() + " the exchange already had)" : "", r.elapsed().toMillis() / 1000.0,
                        r.acknowledgedBefore() > 0 ? "; " + r.acknowledgedBefore() + " acknowledged before" : "");
                if (!r.recipients().isEmpty()) {
                    w.printf(Locale.ROOT, "  recipients   %d offices%n", r.recipients().size());
                }
                w.println("  track it     pouch batch status " + r.batchId());
            });
        }
        return 0;
    }
}
