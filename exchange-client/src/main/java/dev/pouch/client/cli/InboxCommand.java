package dev.pouch.client.cli;

import dev.pouch.client.ExchangeClient;
import dev.pouch.client.LocalStore;
import dev.pouch.protocol.message.Notice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** {@code pouch inbox}: the documents received, newest first. */
@Command(name = "inbox", mixinStandardHelpOptions = true,
        description = {"List the documents received, newest first: each opened, verified and kept with its sealed original.",
                "With --dir, lists the folder an office agent (pouch sync) keeps, without connecting. Otherwise takes what",
                "the exchange holds for your organization into your own folder (~/.pouch/<ORG>) first."})
final class InboxCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Mixin
    Output out;

    @Option(names = "--dir", paramLabel = "DIR", description = "The agent's folder (as given to pouch sync --dir).")
    Path dir;

    @Option(names = "--store", paramLabel = "DIR", description = "Your own folder, when not listing an agent's (default ~/.pouch/<ORG>).")
    Path store;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "10",
            description = "At most this long to take waiting documents before listing (default ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Override
    public Integer call() throws InterruptedException {
        List<LocalStore.Entry> entries;
        List<Notice> notices;
        LocalStore kept;
        if (dir != null) {
            kept = new LocalStore(dir);
            entries = kept.list();
            notices = kept.notices();
        } else {
            try (ExchangeClient c = client.connect(store, true)) {
                AtomicLong last = new AtomicLong(System.nanoTime());
                c.onArrival(e -> last.set(System.nanoTime()));
                long start = System.nanoTime();
                long max = start + waitSeconds * 1_000_000_000L;
                // Deliveries begin at once on connecting: wait for a quiet second (and at least two).
                while (System.nanoTime() < max && (System.nanoTime() - start < 2_000_000_000L
                        || System.nanoTime() - last.get() < 1_000_000_000L)) {
                    Thread.sleep(100);
                }
                kept = c.store();
                entries = kept.list();
                notices = kept.notices();
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LocalStore.Entry e : entries) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", e.id().toString());
            row.put("number", e.number());
            row.put("type", e.type());
            row.put("subject", e.subject());
            row.put("sender", e.sender());
            row.put("classification", e.classification());
            row.put("precedence", e.precedence());
            row.put("receivedAt", e.receivedAt());
            row.put("folder", e.folder().toString());
            row.put("files", e.files().stream().map(f -> f.getFileName().toString()).toList());
            row.put("receipt", java.nio.file.Files.exists(e.folder().resolve("receipt.p7m")));
            row.put("deadline", kept.deadline(e.id()).orElse(null));
            rows.add(row);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", true);
        result.put("documents", rows);
        List<Map<String, Object>> noticeRows = new ArrayList<>();
        for (Notice n : notices) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", n.noticeId().toString());
            row.put("kind", n.kind().name());
            row.put("documentId", n.documentId().toString());
            row.put("number", n.documentNumber());
            row.put("from", n.from());
            row.put("text", n.text());
            row.put("deadline", n.deadline().orElse(null));
            row.put("createdAt", n.createdAt());
            noticeRows.add(row);
        }
        result.put("notices", noticeRows);
        out.result(result, () -> {
            if (!notices.isEmpty()) {
                out.out().println("Notices from the exchange:");
                out.table(List.of("AT", "KIND", "FROM", "NUMBER", "TEXT"), notices.stream()
                        .map(n -> List.of(StatusCommand.TIME.format(n.createdAt()), n.kind().name(), n.from(), n.documentNumber(),
                                n.text())).toList());
                out.out().println();
            }
            if (entries.isEmpty()) {
                out.out().println("No documents received.");
                return;
            }
            // A deadline (a survey's) is shown in this machine's zone: the office's own.
            out.table(List.of("RECEIVED", "FROM", "NUMBER", "TYPE", "SUBJECT", "DEADLINE", "ID"), entries.stream()
                    .map(e -> List.of(StatusCommand.TIME.format(e.receivedAt()), e.sender(), e.number(), e.type(), e.subject(),
                            kept.deadline(e.id()).map(StatusCommand.TIME::format).orElse(""), e.id().toString())).toList());
        });
        return 0;
    }
}
