package dev.pouch.server.survey;

import tools.jackson.databind.JsonNode;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Notice;
import dev.pouch.server.directory.Region;
import dev.pouch.server.testing.Docx;
import dev.pouch.server.testing.Https;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The real case, on a real server: 欧洲司 (HQ-EUR) surveys every office in Europe with a deadline;
 * 22 offices report on time, 3 late, the other 20 never. Reminders go to exactly the offices that
 * have not reported — before the deadline, and again once it passed — and the tracker shows
 * exactly those states. Then the survey's rules: extensions, added targets, withdrawal, and the
 * refusals, each with its code and nothing stored.
 *
 * <p>The server reminds {@value #REMINDER_BEFORE_SECONDS} s before the deadline and checks every
 * second, so the scenario runs in real time in under a minute.
 */
class SurveyScenarioIT {

    private static final int REMINDER_BEFORE_SECONDS = 30;
    private static final Duration AT_ONCE = Duration.ofSeconds(30);
    private static TestServer server;
    private static final Map<String, TestOffice> offices = new HashMap<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.tempDir(), "--pouch.surveys.reminder-before=PT" + REMINDER_BEFORE_SECONDS + "S",
                "--pouch.surveys.check-interval=PT1S");
    }

    @AfterAll
    static void stop() {
        server.close();
        TestServer.deleteTree(server.dataDir());
    }

    private static TestOffice office(String code) {
        return offices.computeIfAbsent(code, c -> server.office(c).awaitConnected());
    }

    private static Https rest(String code) {
        return Https.as(office(code).keys().tls(), server.root(), server.httpsPort());
    }

    /** A survey letter with a reply template, from {@code requester} to {@code targets}. */
    private static Letters.Letter survey(String requester, List<String> targets, Instant deadline) {
        byte[] letter = "各驻外经商机构：请报送所在国电信市场情况。Please report on the telecom market.\n".getBytes(StandardCharsets.UTF_8);
        byte[] template = Docx.of("调研报告模板 report template: 市场规模 market size; 主要企业 main companies");
        byte[] content = new byte[letter.length + template.length];
        System.arraycopy(letter, 0, content, 0, letter.length);
        System.arraycopy(template, 0, content, letter.length, template.length);
        DocumentHeader h = Letters.header(requester, targets, Precedence.URGENT, Classification.INTERNAL)
                .type(DocumentType.SURVEY_REQUEST).subject("关于欧洲电信市场的调研函 — survey of the European telecom market")
                .deadline(deadline)
                .attachment(new Attachment("letter.txt", "text/plain", letter.length))
                .attachment(new Attachment("template.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", template.length)).build();
        return new Letters.Letter(h, content);
    }

    private static Letters.Letter report(String office, String requester, UUID inReplyTo) {
        byte[] docx = Docx.of(office + " 电信市场报告：5G 用户增长 telecom market report of " + office);
        DocumentHeader h = Letters.header(office, List.of(requester), Precedence.ROUTINE, Classification.INTERNAL)
                .type(DocumentType.REPORT).inReplyTo(inReplyTo).subject(office + " 电信市场调研报告")
                .attachment(new Attachment("report.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.length)).build();
        return new Letters.Letter(h, docx);
    }

    private static List<Notice> notices(String office, UUID document, Notice.Kind kind) {
        return office(office).notices().stream().filter(n -> n.documentId().equals(document) && n.kind() == kind).toList();
    }

    @Test
    void europe_survey_22_on_time_3_late_20_never_reminders_to_exactly_the_non_responders() {
        List<String> europe = server.region(Region.EUROPE);
        assertThat(europe).hasSize(45);
        List<String> onTime = europe.subList(0, 22);
        List<String> late = europe.subList(22, 25);
        List<String> never = europe.subList(25, 45);
        TestOffice hq = office("HQ-EUR");
        europe.forEach(SurveyScenarioIT::office);

        // The deadline leaves the reminder due 20 s after the survey goes out.
        Instant deadline = Instant.now().plusSeconds(REMINDER_BEFORE_SECONDS + 20).truncatedTo(ChronoUnit.SECONDS);
        Letters.Letter survey = survey("HQ-EUR", europe, deadline);
        hq.send(survey.header(), survey.content());
        europe.forEach(code -> office(code).awaitDocument(survey.id(), AT_ONCE));
        onTime.subList(0, 10).forEach(code -> assertThat(office(code).signFor(survey.id(), "已收到")).isNotNull());

        for (String code : onTime) {
            Letters.Letter r = report(code, "HQ-EUR", survey.id());
            office(code).send(r.header(), r.content());
        }
        assertThat(Instant.now()).as("the on-time reports must be in before the reminder is due")
                .isBefore(deadline.minusSeconds(REMINDER_BEFORE_SECONDS));

        // Before the deadline: one reminder to each of the 23 offices without a report, none to the 22.
        List<String> silent = new ArrayList<>(late);
        silent.addAll(never);
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> silent.forEach(code ->
                assertThat(notices(code, survey.id(), Notice.Kind.SURVEY_REMINDER)).as(code).hasSize(1)));
        String oneSilent = never.getFirst();
        Notice reminder = notices(oneSilent, survey.id(), Notice.Kind.SURVEY_REMINDER).getFirst();
        assertThat(reminder.from()).isEqualTo("HQ-EUR");
        assertThat(reminder.deadline()).contains(deadline);
        String zone = server.bean(dev.pouch.server.directory.Directory.class)
                .find(dev.pouch.crypto.document.OrgCode.of(oneSilent)).orElseThrow().timezone().getId();
        assertThat(reminder.text()).contains("(" + zone + ")"); // the deadline in the office's own zone
        assertThat(reminder.documentNumber()).isEqualTo(survey.header().documentNumber());

        // After the deadline: the overdue reminder, to the same 23.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> silent.forEach(code ->
                assertThat(notices(code, survey.id(), Notice.Kind.SURVEY_OVERDUE)).as(code).hasSize(1)));
        for (String code : late) {
            Letters.Letter r = report(code, "HQ-EUR", survey.id());
            office(code).send(r.header(), r.content());
        }
        onTime.forEach(code -> assertThat(office(code).notices()).as(code + " reported on time").isEmpty());
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM notice WHERE document_id = ?", Long.class, survey.id()))
                .as("reminders in all: 23 before the deadline, 23 after").isEqualTo(46);

        Https.Response tracker = rest("HQ-EUR").get("/api/surveys/" + survey.id());
        assertThat(tracker.status()).as(tracker.body()).isEqualTo(200);
        JsonNode counts = tracker.json().get("counts");
        assertThat(counts.get("targets").asInt()).isEqualTo(45);
        assertThat(counts.get("respondedOnTime").asInt()).isEqualTo(22);
        assertThat(counts.get("respondedLate").asInt()).isEqualTo(3);
        assertThat(counts.get("overdue").asInt()).isEqualTo(20);
        Map<String, JsonNode> byOffice = new LinkedHashMap<>();
        tracker.json().get("targets").forEach(t -> byOffice.put(t.get("organization").asString(), t));
        assertThat(byOffice.keySet()).containsExactlyInAnyOrderElementsOf(europe);
        onTime.forEach(c -> assertThat(byOffice.get(c).get("state").asString()).as(c).isEqualTo("RESPONDED_ON_TIME"));
        late.forEach(c -> assertThat(byOffice.get(c).get("state").asString()).as(c).isEqualTo("RESPONDED_LATE"));
        never.forEach(c -> assertThat(byOffice.get(c).get("state").asString()).as(c).isEqualTo("OVERDUE"));
        JsonNode fr = byOffice.get(onTime.getFirst());
        assertThat(fr.get("responder").asString()).startsWith("urn:pouch:staff:" + onTime.getFirst());
        assertThat(fr.get("respondedAt").isNull()).isFalse();
        assertThat(fr.get("signedForAt").isNull()).isFalse();
        assertThat(byOffice.get("FR-EMB").get("deadlineLocal").asString()).endsWith("(Europe/Paris)");
        assertThat(byOffice.get("GB-EMB").get("deadlineLocal").asString()).endsWith("(Europe/London)");

        // Only the requester sees the tracker; to anyone else the survey does not exist.
        assertThat(rest("FR-EMB").get("/api/surveys/" + survey.id()).status()).isEqualTo(404);
        assertThat(rest("HQ-GO").get("/api/surveys/" + survey.id()).json().get("name").asString()).isEqualTo("NOT_FOUND");
        assertThat(rest("HQ-EUR").get("/api/surveys").json().findValuesAsString("id")).contains(survey.id().toString());
    }

    @Test
    void refusals_each_with_its_code_and_nothing_stored() {
        List<String> oceania = server.region(Region.OCEANIA);
        TestOffice hq = office("HQ-AMO");
        oceania.forEach(SurveyScenarioIT::office);

        Letters.Letter past = survey("HQ-AMO", oceania, Instant.now().minusSeconds(60));
        assertRefused(past.id(), ErrorCode.SURVEY_INVALID, () -> hq.send(past.header(), past.content()));
        Letters.Letter noDeadline = new Letters.Letter(Letters.header("HQ-AMO", oceania, Precedence.ROUTINE,
                Classification.INTERNAL).type(DocumentType.SURVEY_REQUEST)
                .attachment(new Attachment("letter.txt", "text/plain", 3)).build(), "abc".getBytes(StandardCharsets.UTF_8));
        assertRefused(noDeadline.id(), ErrorCode.SURVEY_INVALID, () -> hq.send(noDeadline.header(), noDeadline.content()));

        Instant deadline = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        List<String> targets = oceania.subList(0, 8);
        Letters.Letter survey = survey("HQ-AMO", targets, deadline);
        hq.send(survey.header(), survey.content());

        // An office the survey did not ask: a REPORT is refused, a REPLY is a plain reply and not counted.
        String outsider = oceania.get(10);
        Letters.Letter intruding = report(outsider, "HQ-AMO", survey.id());
        assertRefused(intruding.id(), ErrorCode.SURVEY_NOT_TARGETED, () -> office(outsider).send(intruding.header(), intruding.content()));
        Letters.Letter reply = Letters.reply(outsider, "HQ-AMO", survey.id(), "我馆不在调研范围内，但愿意提供信息。");
        assertThat(office(outsider).send(reply.header(), reply.content()).duplicate()).isFalse();

        // Added targets: the same letter, sealed for the new offices, in reply to the survey.
        List<String> added = oceania.subList(8, 10);
        Letters.Letter other = survey("HQ-AMO", added, deadline);
        DocumentHeader differentLetter = DocumentHeader.builder().documentId(UUID.randomUUID())
                .documentNumber(Letters.number("HQ-AMO")).type(DocumentType.SURVEY_REQUEST).subject("追加调研对象")
                .sender(dev.pouch.crypto.document.OrgCode.of("HQ-AMO"))
                .actionRecipients(added.stream().map(dev.pouch.crypto.document.OrgCode::of).toList())
                .inReplyTo(survey.id()).deadline(deadline)
                .attachment(new Attachment("other.txt", "text/plain", 5)).build();
        assertRefused(differentLetter.documentId(), ErrorCode.SURVEY_INVALID,
                () -> hq.send(differentLetter, "hello".getBytes(StandardCharsets.UTF_8)));
        DocumentHeader addition = addition(survey, added, deadline);
        hq.send(addition, survey.content());
        DocumentHeader again = addition(survey, List.of(added.getFirst()), deadline);
        assertRefused(again.documentId(), ErrorCode.SURVEY_INVALID, () -> hq.send(again, survey.content()));
        office(added.getFirst()).awaitDocument(addition.documentId(), AT_ONCE);
        Letters.Letter fromAdded = report(added.getFirst(), "HQ-AMO", addition.documentId());
        office(added.getFirst()).send(fromAdded.header(), fromAdded.content());

        Letters.Letter first = report(targets.getFirst(), "HQ-AMO", survey.id());
        office(targets.getFirst()).send(first.header(), first.content());

        // Extend: later only; offices still to report are told, in their own zone.
        Https hqRest = rest("HQ-AMO");
        Https.Response earlier = hqRest.post("/api/surveys/" + survey.id() + "/extend",
                "{\"deadline\":\"" + deadline.minusSeconds(3600) + "\"}");
        assertThat(earlier.json().get("name").asString()).isEqualTo("SURVEY_INVALID");
        Instant later = deadline.plus(Duration.ofDays(5));
        Https.Response extended = hqRest.post("/api/surveys/" + survey.id() + "/extend", "{\"deadline\":\"" + later + "\"}");
        assertThat(extended.status()).as(extended.body()).isEqualTo(200);
        assertThat(Instant.parse(extended.json().get("deadline").asString())).isEqualTo(later);
        String stillToReport = targets.get(1);
        await().atMost(AT_ONCE).untilAsserted(() -> assertThat(notices(stillToReport, survey.id(), Notice.Kind.SURVEY_EXTENDED))
                .singleElement().satisfies(n -> assertThat(n.deadline()).contains(later)));
        assertThat(notices(targets.getFirst(), survey.id(), Notice.Kind.SURVEY_EXTENDED)).as("already reported").isEmpty();
        await().atMost(AT_ONCE).untilAsserted(() -> assertThat(office(added.get(1)).notices())
                .anySatisfy(n -> assertThat(n.kind()).isEqualTo(Notice.Kind.SURVEY_EXTENDED)));

        // Not the requester: no acts.
        assertThat(rest(targets.getFirst()).post("/api/surveys/" + survey.id() + "/remind", "{}").status()).isEqualTo(404);
        Https.Response reminded = hqRest.post("/api/surveys/" + survey.id() + "/remind", "{}");
        Set<String> remindedOffices = new java.util.TreeSet<>();
        reminded.json().get("offices").forEach(o -> remindedOffices.add(o.asString()));
        Set<String> expected = new java.util.TreeSet<>(targets.subList(1, 8));
        expected.add(added.get(1));
        assertThat(remindedOffices).isEqualTo(expected);

        // Withdraw: every target is told; a report after that is refused, and a second withdrawal too.
        assertThat(hqRest.post("/api/surveys/" + survey.id() + "/withdraw", "{\"reason\":\"\"}").json().get("name").asString())
                .isEqualTo("INVALID_REQUEST");
        Https.Response withdrawn = hqRest.post("/api/surveys/" + survey.id() + "/withdraw", "{\"reason\":\"调研计划调整 plans changed\"}");
        assertThat(withdrawn.json().get("state").asString()).isEqualTo("WITHDRAWN");
        await().atMost(AT_ONCE).untilAsserted(() -> {
            for (String code : targets) {
                assertThat(notices(code, survey.id(), Notice.Kind.SURVEY_WITHDRAWN)).as(code).hasSize(1);
            }
            assertThat(notices(added.getFirst(), addition.documentId(), Notice.Kind.SURVEY_WITHDRAWN)).hasSize(1);
        });
        Letters.Letter tooLate = report(stillToReport, "HQ-AMO", survey.id());
        assertRefused(tooLate.id(), ErrorCode.SURVEY_WITHDRAWN, () -> office(stillToReport).send(tooLate.header(), tooLate.content()));
        assertThat(hqRest.post("/api/surveys/" + survey.id() + "/withdraw", "{\"reason\":\"again\"}").json().get("name").asString())
                .isEqualTo("SURVEY_WITHDRAWN");

        JsonNode counts = hqRest.get("/api/surveys/" + survey.id()).json().get("counts");
        assertThat(counts.get("targets").asInt()).isEqualTo(10);
        assertThat(counts.get("respondedOnTime").asInt()).isEqualTo(2);
        assertThat(counts.get("respondedLate").asInt()).isZero();
    }

    private static DocumentHeader addition(Letters.Letter survey, List<String> targets, Instant deadline) {
        DocumentHeader h = survey.header();
        return DocumentHeader.builder().documentId(UUID.randomUUID()).documentNumber(Letters.number(h.sender().value()))
                .type(DocumentType.SURVEY_REQUEST).subject(h.subject()).sender(h.sender())
                .actionRecipients(targets.stream().map(dev.pouch.crypto.document.OrgCode::of).toList())
                .precedence(h.precedence()).classification(h.classification())
                .inReplyTo(survey.id()).deadline(deadline).attachments(h.attachments()).build();
    }

    /** The submission fails with {@code code} and leaves no document and no survey row. */
    private static void assertRefused(UUID id, ErrorCode code, Supplier<?> submit) {
        assertThatThrownBy(submit::get).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM document WHERE id = ?", Long.class, id)).isZero();
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM survey WHERE id = ?", Long.class, id)).isZero();
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM audit_log WHERE subject = ? AND action = 'SUBMISSION_REFUSED'",
                Long.class, id.toString())).isOne();
    }
}
