package dev.pouch.client.cli;

import dev.pouch.client.ClientException;
import dev.pouch.client.Draft;
import dev.pouch.client.ExchangeClient;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code pouch send}: seals files for their recipients and the archive and hands them to the exchange. */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Seal files (signed by your organization, encrypted to each recipient and the archive) and send them.",
                "Recipients are organization codes (FR-EMB), regions (region:EUROPE), or several of both, comma-separated."},
        footer = {"", "Example:", "  pouch send notice.pdf --number '欧洲司〔2026〕101号' --subject '关于电信市场调研的通知' \\",
                "      --type SURVEY_REQUEST --to region:EUROPE --cc HQ-GO --deadline 2026-12-31"})
final class SendCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Mixin
    Output out;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The files to send, in order.")
    List<Path> files;

    @Option(names = {"-n", "--number"}, required = true, description = "The document number (文号), unique for your organization this year.")
    String number;

    @Option(names = "--subject", required = true, description = "The subject (标题).")
    String subject;

    @Option(names = "--type", defaultValue = "NOTICE", description = "One of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    DocumentType type;

    @Option(names = "--classification", defaultValue = "INTERNAL",
            description = "One of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); the exchange refuses what is above its ceiling.")
    Classification classification;

    @Option(names = "--precedence", defaultValue = "ROUTINE", description = "One of ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Precedence precedence;

    @Option(names = "--to", required = true, split = ",", paramLabel = "RECIPIENT", description = "Action recipients (主送).")
    List<String> to;

    @Option(names = "--cc", split = ",", paramLabel = "RECIPIENT", description = "Information recipients (抄送).")
    List<String> cc = new ArrayList<>();

    @Option(names = "--deadline", paramLabel = "WHEN",
            description = "Reply deadline: 2026-12-31 (end of that day here), 2026-12-31T18:00+01:00, or an instant ending in Z.")
    String deadline;

    @Option(names = "--in-reply-to", paramLabel = "ID", description = "The document this one answers.")
    UUID inReplyTo;

    @Option(names = "--id", paramLabel = "ID",
            description = "The document id. Sending again with the same id (after a lost answer) never sends twice.")
    UUID id;

    @Option(names = "--store", paramLabel = "DIR", description = "Your local folder (default ~/.pouch/<ORG>); the sealed copy is kept there.")
    Path store;

    @Override
    public Integer call() {
        Draft.Builder draft = Draft.builder().number(number).subject(subject).type(type).classification(classification)
                .precedence(precedence).to(to).copyTo(cc).files(files);
        if (id != null) {
            draft.id(id);
        }
        if (inReplyTo != null) {
            draft.inReplyTo(inReplyTo);
        }
        if (deadline != null) {
            draft.deadline(parseDeadline(deadline));
        }
        Draft d = draft.build();
        try (ExchangeClient c = client.connect(store); Progress progress = Progress.start(out, "Sending " + number)) {
            c.onUpload(progress);
            ExchangeClient.Sent sent = c.send(d);
            progress.close();
            report(out, sent, subject);
        }
        return 0;
    }

    static void report(Output out, ExchangeClient.Sent sent, String subject) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", true);
        r.put("id", sent.id().toString());
        r.put("number", sent.number());
        r.put("acceptedAt", sent.acceptedAt());
        r.put("duplicate", sent.duplicate());
        r.put("recipients", sent.recipients().stream().map(OrgCode::value).toList());
        out.result(r, () -> {
            out.out().println((sent.duplicate() ? "Already sent: " : "Sent: ") + sent.number() + " " + subject);
            out.out().println("  id           " + sent.id());
            out.out().println("  accepted at  " + sent.acceptedAt());
            List<String> codes = sent.recipients().stream().map(OrgCode::value).toList();
            out.out().println("  recipients   " + codes.size() + ": " + (codes.size() > 12
                    ? String.join(", ", codes.subList(0, 12)) + ", ..." : String.join(", ", codes)));
        });
    }

    static Instant parseDeadline(String text) {
        try {
            if (text.endsWith("Z")) {
                return Instant.parse(text);
            }
            if (text.length() == 10) {
                return LocalDate.parse(text).atTime(23, 59, 59).atZone(ZoneId.systemDefault()).toInstant();
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant();
            }
        } catch (DateTimeParseException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "'" + text + "' is not a deadline: write 2026-12-31,"
                    + " 2026-12-31T18:00+01:00 or 2026-12-31T17:00:00Z");
        }
    }
}
