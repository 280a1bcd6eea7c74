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
                "Recipients are organization codes (FR-EMB), regions (region:EUROPE), all (every overseas office), or several,"
                        + " comma-separated.",
                "With --batch DIR, every file of the folder becomes one document of a batch (numbered PREFIX-0001, ...);"
                        + " running the same command again resumes it and sends nothing twice."},
        footer = {"", "Example:", "  pouch send notice.pdf --number '欧洲司〔2026〕101号' --subject '关于电信市场调研的通知' \\",
                "      --type SURVEY_REQUEST --to region:EUROPE --cc HQ-GO --deadline 2026-12-31",
                "  pouch send --batch stats-2026-10/ --number-prefix '商统〔2026〕10' --subject '2026年10月贸易统计' \\",
                "      --type STATISTICS --to all"})
final class SendCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Mixin
    Output out;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "The files to send, in order (none with --batch).")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-n", "--number"}, description = "The document number (文号), unique for your organization this year.")
    String number;

    @Option(names = "--batch", paramLabel = "DIR",
            description = "Send every file of DIR (sorted, hidden files skipped) as one document of a batch: one batch id, shared metadata.")
    Path batch;

    @Option(names = "--number-prefix", paramLabel = "PREFIX", description = "With --batch: document numbers are PREFIX-0001, PREFIX-0002, ...")
    String numberPrefix;

    @Option(names = "--resume", paramLabel = "BATCH_ID",
            description = "With --batch: resume this batch (found by itself when the same command is run again).")
    UUID resume;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "6",
            description = "With --batch: documents sent at once (default ${DEFAULT-VALUE}, at most 16).")
    int inFlight;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

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
        if (batch != null) {
            return sendBatch();
        }
        if (numberPrefix != null || resume != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--number-prefix and --resume go with --batch DIR");
        }
        if (number == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--number=<number>'");
        }
        if (files.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'FILE'");
        }
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

    private int sendBatch() {
        if (!files.isEmpty() || number != null || id != null || inReplyTo != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "with --batch DIR, give no FILE, --number, --id or --in-reply-to: the folder's files are the documents");
        }
        if (numberPrefix == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--number-prefix=PREFIX'"
                    + " (with --batch, documents are numbered PREFIX-0001, PREFIX-0002, ...)");
        }
        dev.pouch.client.BatchRequest request = dev.pouch.client.BatchRequest.of(batch, numberPrefix, type, subject, classification,
                precedence, to, cc, java.util.Optional.ofNullable(deadline).map(SendCommand::parseDeadline));
        return BatchCommand.send(client, out, store, request, java.util.Optional.ofNullable(resume), inFlight);
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
