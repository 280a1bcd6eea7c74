package dev.pouch.client.cli;

import dev.pouch.client.ExchangeClient;
import dev.pouch.protocol.message.RecipientStatus;
import dev.pouch.protocol.message.StatusReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code pouch status ID}: each recipient's state of a document, with its time. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each recipient's state of a document (QUEUED, DELIVERED, SIGNED_FOR, REPLIED, OVERDUE) and since when.")
final class StatusCommand implements Callable<Integer> {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Mixin
    ClientOptions client;

    @Mixin
    Output out;

    @Parameters(paramLabel = "ID", description = "The document id (as pouch send printed it).")
    UUID id;

    @Override
    public Integer call() {
        StatusReply status;
        try (ExchangeClient c = client.connect(null)) {
            status = c.status(id);
        }
        Map<String, Integer> counts = new TreeMap<>();
        status.recipients().forEach(r -> counts.merge(r.state(), 1, Integer::sum));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RecipientStatus r : status.recipients()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("organization", r.organization());
            row.put("state", r.state());
            row.put("since", r.updatedAt());
            row.put("signedForBy", r.signedForBy());
            rows.add(row);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", true);
        result.put("id", id.toString());
        result.put("counts", counts);
        result.put("recipients", rows);
        out.result(result, () -> {
            List<List<String>> table = status.recipients().stream()
                    .map(r -> List.of(r.organization(), r.state(), TIME.format(r.updatedAt()), r.signedForBy())).toList();
            out.table(List.of("RECIPIENT", "STATE", "SINCE", "SIGNED FOR BY"), table);
            StringBuilder summary = new StringBuilder().append(status.recipients().size()).append(" recipients:");
            counts.forEach((state, n) -> summary.append(' ').append(n).append(' ').append(state).append(','));
            summary.setLength(summary.length() - 1);
            out.out().println(summary);
        });
        return 0;
    }
}
