package dev.pouch.client.cli;

import dev.pouch.server.testing.Docx;
import dev.pouch.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pouch survey} as a department and its offices run it, against the packaged server: create
 * a survey with a reply template, an office answers with {@code pouch reply}, the tracker, a
 * reminder that reaches the office's inbox as a notice, extension, added targets, withdrawal, and
 * the mistakes — each refused with its code and exit status.
 */
class SurveyCommandIT {

    private static Path dir;
    private static ServerProcess server;
    private static PouchCommand pouch;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pouch-survey-test");
        server = new ServerProcess(dir.resolve("server")).start();
        Files.createDirectories(dir.resolve("home"));
        pouch = new PouchCommand(dir.resolve("home"), server.exchangePort(), server.httpsPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String demo(String org, String staff) {
        return dir.resolve("server/demo/" + org + "-" + staff + ".p12").toString();
    }

    private static String hq() {
        return demo("HQ-EUR", "wang.fang");
    }

    private static String fr() {
        return demo("FR-EMB", "marie.dupont");
    }

    private static String de() {
        return demo("DE-EMB", "klaus.weber");
    }

    private static String json(String output, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(output);
        assertThat(m.find()).as("%s in %s", field, output).isTrue();
        return m.group(1);
    }

    private static PouchCommand.Result ok(Path work, String... args) {
        PouchCommand.Result r = pouch.run(work, args);
        assertThat(r.exit()).as("pouch %s\n%s", String.join(" ", args), r).isZero();
        return r;
    }

    /** Refused with {@code exit} and, unless a usage error (exit 2, picocli's own message), {@code pouch: error <code>}. */
    private static void refused(PouchCommand.Result r, int exit, String code) {
        assertThat(r.exit()).as("%s", r).isEqualTo(exit);
        assertThat(r.err()).as("%s", r).contains(exit == 2 ? "Missing required option" : "pouch: error " + code);
    }

    @Test
    void a_survey_from_letter_to_withdrawal() throws Exception {
        Path work = Files.createDirectories(dir.resolve("survey"));
        Files.writeString(work.resolve("letter.txt"), "各驻外经商机构：请报送电信市场情况。Please report on the telecom market.\n",
                StandardCharsets.UTF_8);
        Files.write(work.resolve("template.docx"), Docx.of("调研报告模板 report template: 市场规模 market size"));
        Files.writeString(work.resolve("report.txt"), "法国电信市场：5G 用户增长。The French market grew.\n", StandardCharsets.UTF_8);
        Files.writeString(work.resolve("other.txt"), "another letter\n", StandardCharsets.UTF_8);
        String deadline = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS).toString();

        // The mistakes first: nothing is sent for any of them.
        refused(pouch.run(work, "survey", "create", "letter.txt", "-c", hq(), "-n", "商欧函〔2026〕1号", "--subject", "s",
                "--to", "FR-EMB", "--deadline", "2020-01-01"), 4, "INVALID_INPUT: the deadline");
        refused(pouch.run(work, "survey", "create", "letter.txt", "-c", hq(), "-n", "商欧函〔2026〕1号", "--subject", "s",
                "--deadline", deadline), 2, "");
        refused(pouch.run(work, "survey", "create", "letter.txt", "--template", "report.txt", "-c", hq(), "-n", "商欧函〔2026〕1号",
                "--subject", "s", "--to", "FR-EMB", "--deadline", deadline), 4, "INVALID_INPUT: a reply template");
        refused(pouch.run(work, "survey", "status", "00000000-0000-4000-8000-000000000000", "-c", hq()), 1, "3007 NOT_FOUND");

        PouchCommand.Result created = ok(work, "survey", "create", "letter.txt", "--template", "template.docx", "-c", hq(),
                "-n", "商欧函〔2026〕12号", "--subject", "关于欧洲电信市场的调研函", "--to", "FR-EMB,DE-EMB,IT-EMB",
                "--deadline", deadline, "--json");
        String id = json(created.out(), "id");

        // FR-EMB takes it and answers with pouch reply: a REPORT in reply to the survey.
        assertThat(ok(work, "inbox", "-c", fr(), "--wait", "5").out()).contains("商欧函〔2026〕12号");
        ok(work, "reply", id, "report.txt", "-c", fr(), "-n", "驻法经商〔2026〕7号");

        PouchCommand.Result status = ok(work, "survey", "status", id, "-c", hq());
        assertThat(status.out()).contains("3 offices: 1 on time, 0 late, 0 overdue");
        assertThat(status.out()).containsPattern("FR-EMB +EUROPE +RESPONDED_ON_TIME");
        assertThat(status.out()).containsPattern("DE-EMB +EUROPE +(NOT_DELIVERED|DELIVERED)");
        assertThat(status.out()).contains("(Europe/Paris)", "(Europe/Berlin)", "(Europe/Rome)");
        assertThat(ok(work, "survey", "list", "-c", hq()).out()).contains(id, "1/3");
        refused(pouch.run(work, "survey", "status", id, "-c", fr()), 1, "3007 NOT_FOUND");

        // A reminder now: to the two offices without a report; DE-EMB finds it in its inbox.
        PouchCommand.Result reminded = ok(work, "survey", "remind", id, "-c", hq());
        assertThat(reminded.out()).contains("Reminded 2 offices: DE-EMB, IT-EMB");
        PouchCommand.Result deInbox = ok(work, "inbox", "-c", de(), "--wait", "5", "--json");
        assertThat(deInbox.out()).contains("\"kind\":\"SURVEY_REMINDER\"", "\"number\":\"商欧函〔2026〕12号\"", "Europe/Berlin");

        // Extend (later only), add an office with the same letter (and not with another).
        String later = Instant.parse(deadline).plus(Duration.ofDays(2)).toString();
        refused(pouch.run(work, "survey", "extend", id, "--deadline", Instant.parse(deadline).minusSeconds(60).toString(), "-c", hq()),
                1, "3016 SURVEY_INVALID");
        assertThat(ok(work, "survey", "extend", id, "--deadline", later, "-c", hq()).out()).contains("extended from " + deadline);
        refused(pouch.run(work, "survey", "add-targets", id, "other.txt", "--to", "ES-EMB", "-n", "商欧函〔2026〕12-1号", "-c", hq()),
                1, "3016 SURVEY_INVALID");
        ok(work, "survey", "add-targets", id, "letter.txt", "template.docx", "--to", "ES-EMB", "-n", "商欧函〔2026〕12-2号", "-c", hq());
        assertThat(ok(work, "survey", "status", id, "-c", hq(), "--json").out()).contains("\"organization\":\"ES-EMB\"")
                .contains("\"targets\":4");

        // Withdraw: DE-EMB's late report is then refused.
        PouchCommand.Result withdrawn = ok(work, "survey", "withdraw", id, "--reason", "调研计划调整", "-c", hq());
        assertThat(withdrawn.out()).contains("WITHDRAWN", "调研计划调整");
        refused(pouch.run(work, "reply", id, "report.txt", "-c", de(), "-n", "驻德经商〔2026〕3号"), 1, "3017 SURVEY_WITHDRAWN");
        assertThat(ok(work, "inbox", "-c", de(), "--wait", "5").out()).contains("SURVEY_WITHDRAWN");
    }
}
