package dev.pouch.client.cli;

import dev.pouch.client.ClientException;
import dev.pouch.client.Draft;
import dev.pouch.client.ExchangeClient;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.Precedence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code pouch survey}: a department asks offices for reports by a deadline (调研), follows who
 * answered, reminds, extends, adds offices, withdraws, and compiles the answers (汇总). Offices
 * answer with {@code pouch reply SURVEY_ID report.docx} (a REPORT by default for a survey).
 */
@Command(name = "survey", mixinStandardHelpOptions = true,
        description = {"Surveys (调研): ask offices for reports by a deadline, follow who answered, and compile the answers.",
                "Offices answer with: pouch reply SURVEY_ID report.docx --number ..."},
        subcommands = {SurveyCommand.Create.class, SurveyCommand.ListSurveys.class, SurveyCommand.Status.class,
                SurveyCommand.Remind.class, SurveyCommand.Extend.class, SurveyCommand.AddTargets.class,
                SurveyCommand.Withdraw.class, SurveyCompileCommand.class})
final class SurveyCommand {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonNode node) {
        return JSON.convertValue(node, LinkedHashMap.class);
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asString();
    }

    /** An instant as a person reads it here: local date and time, minutes. */
    static String when(JsonNode node, String field) {
        String t = text(node, field);
        if (t.isEmpty()) {
            return "-";
        }
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(Instant.parse(t).atZone(java.time.ZoneId.systemDefault()));
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Send a survey letter (SURVEY_REQUEST) to offices, with a deadline and an optional reply template.",
                    "Each office sees the deadline in its own time zone; offices that have not answered are reminded",
                    "before the deadline and again once it passed."},
            footer = {"", "Example:", "  pouch survey create letter.pdf --template template.docx --to region:EUROPE \\",
                    "      --number '商欧函〔2026〕12号' --subject '关于欧洲电信市场的调研函' --deadline 2026-12-15T18:00+08:00"})
    static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        Output out;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "The survey letter and its instructions.")
        List<Path> files;

        @Option(names = "--template", paramLabel = "FILE", description = "A reply template (.docx or .xlsx) for the offices.")
        Path template;

        @Option(names = {"-n", "--number"}, required = true, description = "The document number (文号).")
        String number;

        @Option(names = "--subject", required = true, description = "The subject (标题).")
        String subject;

        @Option(names = "--to", required = true, split = ",", paramLabel = "TARGET",
                description = "The offices asked: codes (FR-EMB), regions (region:EUROPE), or both, comma-separated.")
        List<String> to;

        @Option(names = "--cc", split = ",", paramLabel = "RECIPIENT", description = "Informed, not asked (抄送).")
        List<String> cc = new ArrayList<>();

        @Option(names = "--deadline", required = true, paramLabel = "WHEN",
                description = "2026-12-31 (end of that day here), 2026-12-31T18:00+08:00, or an instant ending in Z.")
        String deadline;

        @Option(names = "--classification", defaultValue = "INTERNAL", description = "Default ${DEFAULT-VALUE}.")
        Classification classification;

        @Option(names = "--precedence", defaultValue = "URGENT", description = "Default ${DEFAULT-VALUE}.")
        Precedence precedence;

        @Option(names = "--id", paramLabel = "ID", description = "The survey's id (to send again safely after a lost answer).")
        UUID id;

        @Option(names = "--store", paramLabel = "DIR", description = "Your local folder (default ~/.pouch/<ORG>).")
        Path store;

        @Override
        public Integer call() {
            Instant due = SendCommand.parseDeadline(deadline);
            if (!due.isAfter(Instant.now())) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, "the deadline " + due + " is already past");
            }
            List<Path> all = new ArrayList<>(files);
            if (template != null) {
                String name = template.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!name.endsWith(".docx") && !name.endsWith(".xlsx")) {
                    throw new ClientException(ClientException.Kind.INVALID_INPUT, "a reply template is a .docx or .xlsx file, not "
                            + template.getFileName());
                }
                all.add(template);
            }
            Draft.Builder draft = Draft.builder().number(number).subject(subject).type(DocumentType.SURVEY_REQUEST)
                    .classification(classification).precedence(precedence).to(to).copyTo(cc).files(all).deadline(due);
            if (id != null) {
                draft.id(id);
            }
            try (ExchangeClient c = client.connect(store); Progress progress = Progress.start(out, "Sending " + number)) {
                c.onUpload(progress);
                ExchangeClient.Sent sent = c.send(draft.build());
                progress.close();
                SendCommand.report(out, sent, subject);
                out.line("  deadline     " + due + "  (each office sees it in its own time zone)");
                out.line("Follow it with: pouch survey status " + sent.id());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Your organization's surveys, newest first.")
    static final class ListSurveys implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        Output out;

        @Override
        public Integer call() {
            JsonNode list = client.api().get("/api/surveys");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("surveys", JSON.convertValue(list, List.class));
            out.result(r, () -> {
                List<List<String>> rows = new ArrayList<>();
                list.forEach(s -> rows.add(List.of(text(s, "id"), text(s, "number"), text(s, "state"), when(s, "deadline"),
                        s.get("responded").asInt() + "/" + s.get("targets").asInt(), text(s, "subject"))));
                out.table(List.of("ID", "NUMBER", "STATE", "DEADLINE", "ANSWERED", "SUBJECT"), rows);
            });
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Every target office's state: NOT_DELIVERED, DELIVERED, SIGNED_FOR, RESPONDED_ON_TIME, RESPONDED_LATE, OVERDUE.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        Output out;

        @Parameters(paramLabel = "ID", description = "The survey (its SURVEY_REQUEST document id).")
        UUID id;

        @Override
        public Integer call() {
            JsonNode t = client.api().get("/api/surveys/" + id);
            printTracker(out, t);
            return 0;
        }
    }

    static void printTracker(Output out, JsonNode t) {
        out.result(map(t), () -> {
            JsonNode c = t.get("counts");
            out.out().println(text(t, "number") + "  " + text(t, "subject"));
            out.out().println("  state     " + text(t, "state") + ("WITHDRAWN".equals(text(t, "state"))
                    ? " (" + text(t, "withdrawalReason") + ")" : ""));
            out.out().println("  deadline  " + text(t, "deadline") + (text(t, "deadline").equals(text(t, "originalDeadline"))
                    ? "" : "  (extended from " + text(t, "originalDeadline") + ")"));
            int targets = c.get("targets").asInt();
            int onTime = c.get("respondedOnTime").asInt();
            int late = c.get("respondedLate").asInt();
            out.out().printf("  %d offices: %d on time, %d late, %d overdue, %d not yet due (%d delivered, %d signed for, %d not delivered)"
                            + "; response rate %d%%%n", targets, onTime, late, c.get("overdue").asInt(),
                    c.get("notDelivered").asInt() + c.get("delivered").asInt() + c.get("signedFor").asInt(),
                    c.get("delivered").asInt(), c.get("signedFor").asInt(), c.get("notDelivered").asInt(),
                    targets == 0 ? 0 : Math.round(100f * (onTime + late) / targets));
            List<List<String>> rows = new ArrayList<>();
            t.get("targets").forEach(o -> rows.add(List.of(text(o, "organization"), text(o, "region"), text(o, "state"),
                    when(o, "deliveredAt"), when(o, "signedForAt"), when(o, "respondedAt"), text(o, "responseNumber"),
                    text(o, "deadlineLocal"))));
            out.table(List.of("OFFICE", "REGION", "STATE", "DELIVERED", "SIGNED FOR", "RESPONDED", "REPORT", "DEADLINE THERE"), rows);
        });
    }

    @Command(name = "remind", mixinStandardHelpOptions = true,
            description = "Remind every target office that has not answered, now (the exchange also reminds on its own).")
    static final class Remind implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        Output out;

        @Parameters(paramLabel = "ID", description = "The survey.")
        UUID id;

        @Override
        public Integer call() {
            JsonNode r = client.api().post("/api/surveys/" + id + "/remind", Map.of());
            out.result(map(r), () -> {
                List<String> offices = new ArrayList<>();
                r.get("offices").forEach(o -> offices.add(o.asString()));
                out.out().println(offices.isEmpty() ? "Every office has answered; nobody to remind."
                        : "Reminded " + offices.size() + " offices: " + String.join(", ", offices));
            });
            return 0;
        }
    }

    @Command(name = "extend", mixinStandardHelpOptions = true,
            description = "Move the deadline later; offices that have not answered are told, in their own time zone.")
    static final class Extend implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        Output out;

        @Parameters(paramLabel = "ID", description = "The survey.")
        UUID id;

        @Option(names = "--deadline", required = true, paramLabel = "WHEN", description = "The new deadline (as for create).")
        String deadline;

        @Override
        public Integer call() {
            Instant due = SendCommand.parseDeadline(deadline);
            printTracker(out, client.api().post("/api/surveys/" + id + "/extend", Map.of("deadline", due.toString())));
            return 0;
        }
    }

    @Command(name = "add-targets", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Ask more offices: the same letter (give the same files, in the same order) is sealed for them",
                    "and sent in reply to the survey, with its current deadline."})
    static final class AddTargets implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        Output out;

        @Parameters(index = "0", paramLabel = "ID", description = "The survey.")
        UUID id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "The survey's files, as first sent.")
        List<Path> files;

        @Option(names = "--to", required = true, split = ",", paramLabel = "TARGET", description = "The offices to add.")
        List<String> to;

        @Option(names = {"-n", "--number"}, required = true, description = "This addition's document number (文号).")
        String number;

        @Option(names = "--store", paramLabel = "DIR", description = "Your local folder (default ~/.pouch/<ORG>).")
        Path store;

        @Override
        public Integer call() {
            JsonNode t = client.api().get("/api/surveys/" + id);
            Draft draft = Draft.builder().number(number).subject(text(t, "subject")).type(DocumentType.SURVEY_REQUEST)
                    .classification(Classification.valueOf(text(t, "classification"))).precedence(Precedence.URGENT).to(to)
                    .files(files).inReplyTo(id).deadline(Instant.parse(text(t, "deadline"))).build();
            try (ExchangeClient c = client.connect(store)) {
                ExchangeClient.Sent sent = c.send(draft);
                SendCommand.report(out, sent, text(t, "subject"));
            }
            return 0;
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true,
            description = "Withdraw the survey: it takes no more reports, and every target office is told why.")
    static final class Withdraw implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Mixin
        Output out;

        @Parameters(paramLabel = "ID", description = "The survey.")
        UUID id;

        @Option(names = "--reason", required = true, description = "Why (the offices read it).")
        String reason;

        @Override
        public Integer call() {
            printTracker(out, client.api().post("/api/surveys/" + id + "/withdraw", Map.of("reason", reason)));
            return 0;
        }
    }
}
