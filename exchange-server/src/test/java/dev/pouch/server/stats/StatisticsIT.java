package dev.pouch.server.stats;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Region;
import dev.pouch.server.directory.Role;
import dev.pouch.server.testing.Https;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-unit statistics on a real server of their own (embedded PostgreSQL and Artemis, nothing else
 * sent to it): a small history made of real submissions, deliveries, receipts, sign-fors and
 * replies, and every figure checked exactly — per organization, per region, in total, as CSV —
 * with the silent units' zero rows, the period's boundaries, who may see what, and bad input.
 */
class StatisticsIT {

    private static final Duration AT_ONCE = Duration.ofSeconds(30);

    private static Path dir;
    private static TestServer server;
    private static final Map<String, TestOffice> offices = new HashMap<>();
    private static Https hqReader;
    /** The document history's window, and the acceptance time of N2 in the middle of it. */
    private static Instant start;
    private static Instant end;
    private static Instant n2Accepted;

    @BeforeAll
    static void history() {
        dir = TestServer.tempDir();
        server = TestServer.start(dir);
        for (String org : List.of("HQ-EUR", "FR-EMB", "DE-EMB", "PL-EMB")) {
            offices.put(org, server.office(org));
        }
        offices.values().forEach(TestOffice::awaitConnected);
        server.enrol("IT-EMB", "officer"); // certified, never connected: what it is sent stays queued
        hqReader = https(server.enrol("HQ-WAA", "reader", Role.READER));
        TestOffice hq = offices.get("HQ-EUR");
        TestOffice fr = offices.get("FR-EMB");
        TestOffice de = offices.get("DE-EMB");
        TestOffice pl = offices.get("PL-EMB");
        start = Instant.now().minusSeconds(1);

        // N1: HQ-EUR to FR, DE, IT for action and PL for information.
        Letters.Letter n1 = letter("HQ-EUR", List.of("FR-EMB", "DE-EMB", "IT-EMB"), List.of("PL-EMB"));
        hq.send(n1.header(), n1.content());
        for (TestOffice o : List.of(fr, de, pl)) {
            o.awaitDocument(n1.id(), AT_ONCE);
            o.awaitReceiptAccepted(n1.id(), AT_ONCE);
        }
        // FR replies to N1; DE signs for it only.
        Letters.Letter r1 = Letters.reply("FR-EMB", "HQ-EUR", n1.id(), "Bien reçu, rapport joint.");
        fr.send(r1.header(), r1.content());
        hq.awaitDocument(r1.id(), AT_ONCE);
        hq.awaitReceiptAccepted(r1.id(), AT_ONCE);
        de.signFor(n1.id(), "已签收");

        // N2: HQ-EUR to FR alone, not answered.
        Letters.Letter n2 = letter("HQ-EUR", List.of("FR-EMB"), List.of());
        hq.send(n2.header(), n2.content());
        fr.awaitDocument(n2.id(), AT_ONCE);
        fr.awaitReceiptAccepted(n2.id(), AT_ONCE);
        n2Accepted = server.jdbc().queryForObject("SELECT accepted_at FROM document WHERE id = ?", OffsetDateTime.class, n2.id())
                .toInstant();

        // D1: DE-EMB asks HQ-EUR something; HQ-EUR answers (H1), which DE does not answer in turn.
        Letters.Letter d1 = letter("DE-EMB", List.of("HQ-EUR"), List.of());
        de.send(d1.header(), d1.content());
        hq.awaitDocument(d1.id(), AT_ONCE);
        hq.awaitReceiptAccepted(d1.id(), AT_ONCE);
        Letters.Letter h1 = Letters.reply("HQ-EUR", "DE-EMB", d1.id(), "答复：同意。");
        hq.send(h1.header(), h1.content());
        de.awaitDocument(h1.id(), AT_ONCE);
        de.awaitReceiptAccepted(h1.id(), AT_ONCE);
        end = Instant.now().plusMillis(1);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        TestServer.deleteTree(dir);
    }

    // --- the figures

    @Test
    void each_organization_s_figures_are_exactly_its_history_and_silent_units_have_zero_rows() {
        Https.Response r = hqReader.get("/api/stats?" + window());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("grouping").asString()).isEqualTo("ORGANIZATION");
        assertThat(r.json().get("period").get("zone").asString()).isEqualTo("Asia/Shanghai");
        assertThat(OffsetDateTime.parse(r.json().get("period").get("from").asString()).toInstant()).isEqualTo(start);
        assertThat(OffsetDateTime.parse(r.json().get("period").get("from").asString()).getOffset()).isEqualTo(ZoneOffset.ofHours(8));
        Map<String, JsonNode> rows = rows(r);
        assertThat(rows).hasSize(server.bean(Directory.class).all().size());

        //                                 sent recv deliv action replied
        assertDocuments(rows.get("HQ-EUR"), 3, 2, 2, 2, 1, 0.5);
        assertDocuments(rows.get("FR-EMB"), 1, 2, 2, 2, 1, 0.5);
        assertDocuments(rows.get("DE-EMB"), 1, 2, 2, 2, 0, 0.0);
        assertDocuments(rows.get("IT-EMB"), 0, 1, 0, 1, 0, 0.0);
        assertDocuments(rows.get("PL-EMB"), 0, 1, 1, 0, 0, null);
        assertDocuments(rows.get("ES-EMB"), 0, 0, 0, 0, 0, null);
        assertThat(rows.get("ES-EMB").get("nameZh").asString()).isEqualTo("驻西班牙使馆经济商务处");
        assertThat(rows.get("ES-EMB").get("region").asString()).isEqualTo("EUROPE");
        assertThat(rows.get("ES-EMB").get("kind").asString()).isEqualTo("OVERSEAS_OFFICE");
        assertThat(rows.get("HQ-EUR").get("nameZh").asString()).isEqualTo("欧洲司");
        assertThat(rows.get("ES-EMB").get("figures").get("medianResponseSeconds").isNull()).isTrue();

        JsonNode totals = r.json().get("totals");
        assertThat(totals.get("units").asLong()).isEqualTo(rows.size());
        assertFigures(totals, 5, 8, 7, 7, 2, 2.0 / 7);
        // HQ departments first, then the offices by region and code.
        List<String> order = rows.keySet().stream().toList();
        assertThat(order.getFirst()).startsWith("HQ-");
        assertThat(order.indexOf("HQ-EUR")).isLessThan(order.indexOf("KE-EMB"));
        assertThat(order.indexOf("KE-EMB")).isLessThan(order.indexOf("DE-EMB")); // AFRICA before EUROPE
    }

    @Test
    void region_grouping_sums_its_units_and_keeps_regions_without_activity() {
        Https.Response r = hqReader.get("/api/stats?by=region&kind=overseas_office&" + window());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> rows = rows(r);
        assertThat(rows.keySet()).containsExactlyInAnyOrder("AFRICA", "AMERICAS", "ASIA", "EURASIA", "EUROPE", "OCEANIA", "WEST_ASIA");
        assertThat(rows.get("EUROPE").get("figures").get("units").asLong()).isEqualTo(server.region(Region.EUROPE).size());
        assertFigures(rows.get("EUROPE"), 2, 6, 5, 5, 1, 0.2);
        assertFigures(rows.get("AFRICA"), 0, 0, 0, 0, 0, null);
        assertThat(r.json().get("filters").get("kind").asString()).isEqualTo("OVERSEAS_OFFICE");
        assertFigures(r.json().get("totals"), 2, 6, 5, 5, 1, 0.2);

        Https.Response total = hqReader.get("/api/stats?by=total&" + window());
        assertThat(total.status()).as(total.body()).isEqualTo(200);
        assertThat(rows(total).keySet()).containsExactly("TOTAL");
        assertFigures(rows(total).get("TOTAL"), 5, 8, 7, 7, 2, 2.0 / 7);

        Https.Response hq = hqReader.get("/api/stats?by=total&region=HQ&" + window());
        assertFigures(rows(hq).get("TOTAL"), 3, 2, 2, 2, 1, 0.5);
    }

    @Test
    void the_period_includes_its_start_and_excludes_its_end() {
        // N2 was accepted at exactly n2Accepted: in [n2Accepted, end), not in [start, n2Accepted).
        Https.Response before = hqReader.get("/api/stats?org=FR-EMB&from=" + enc(start) + "&to=" + enc(n2Accepted));
        assertThat(before.status()).as(before.body()).isEqualTo(200);
        assertDocuments(rows(before).get("FR-EMB"), 1, 1, 1, 1, 1, 1.0);
        Https.Response after = hqReader.get("/api/stats?org=FR-EMB&from=" + enc(n2Accepted) + "&to=" + enc(end));
        assertDocuments(rows(after).get("FR-EMB"), 0, 1, 1, 1, 0, 0.0);
        assertThat(rows(after)).hasSize(1);

        // A whole year long past, read in another zone: nothing.
        Https.Response old = hqReader.get("/api/stats?org=FR-EMB&period=2020&zone=Europe/Paris");
        assertThat(old.status()).as(old.body()).isEqualTo(200);
        assertDocuments(rows(old).get("FR-EMB"), 0, 0, 0, 0, 0, null);
        assertThat(old.json().get("period").get("from").asString()).isEqualTo("2020-01-01T00:00+01:00");
        assertThat(old.json().get("period").get("to").asString()).isEqualTo("2021-01-01T00:00+01:00");
        assertThat(old.json().get("period").get("label").asString()).isEqualTo("2020");
    }

    // --- surveys

    @Test
    void survey_figures_count_targets_answers_on_time_and_the_median_response_time() throws Exception {
        TestOffice hq = offices.get("HQ-EUR");
        TestOffice fr = offices.get("FR-EMB");
        TestOffice de = offices.get("DE-EMB");
        TestOffice pl = offices.get("PL-EMB");
        Instant from = Instant.now().minusMillis(1);

        // S1 to FR and DE, due in an hour: FR reports on time, DE not at all.
        Letters.Letter s1 = survey(List.of("FR-EMB", "DE-EMB"), Instant.now().plus(Duration.ofHours(1)));
        hq.send(s1.header(), s1.content());
        delivered(s1.id(), fr, de);
        UUID p1 = report(fr, s1.id());
        // S2 to FR and PL, due in 4 s: PL reports after the deadline, FR not at all.
        Instant soon = Instant.now().plusSeconds(4);
        Letters.Letter s2 = survey(List.of("FR-EMB", "PL-EMB"), soon);
        hq.send(s2.header(), s2.content());
        delivered(s2.id(), fr, pl);
        while (!Instant.now().isAfter(soon.plusMillis(500))) {
            Thread.sleep(100);
        }
        UUID p2 = report(pl, s2.id());
        // S3 to FR and DE: FR reports, then HQ-EUR withdraws it; DE, which had not answered, is no longer asked.
        Letters.Letter s3 = survey(List.of("FR-EMB", "DE-EMB"), Instant.now().plus(Duration.ofHours(1)));
        hq.send(s3.header(), s3.content());
        delivered(s3.id(), fr, de);
        UUID p3 = report(fr, s3.id());
        Https.Response withdrawn = https(hq.keys()).post("/api/surveys/" + s3.id() + "/withdraw", "{\"reason\":\"计划调整\"}");
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
        for (UUID report : List.of(p1, p2, p3)) {
            hq.awaitDocument(report, AT_ONCE);
            hq.awaitReceiptAccepted(report, AT_ONCE);
        }
        assertThat(server.jdbc().queryForList("SELECT on_time FROM survey_target WHERE response_id IS NOT NULL AND survey_id IN (?, ?, ?)"
                + " ORDER BY responded_at", Boolean.class, s1.id(), s2.id(), s3.id())).containsExactly(true, false, true);
        String window = "from=" + enc(from) + "&to=" + enc(Instant.now().plusMillis(1));

        Map<String, JsonNode> rows = rows(hqReader.get("/api/stats?" + window));
        // Documents: the requests are action items, answered by the reports; S3 is not one for DE (withdrawn, unanswered).
        assertDocuments(rows.get("HQ-EUR"), 3, 3, 3, 3, 0, 0.0);
        assertDocuments(rows.get("FR-EMB"), 2, 3, 3, 3, 2, 2.0 / 3);
        assertDocuments(rows.get("DE-EMB"), 0, 2, 2, 1, 0, 0.0);
        assertDocuments(rows.get("PL-EMB"), 1, 1, 1, 1, 1, 1.0);
        //                                      asked answered on-time rate
        assertSurveys(rows.get("FR-EMB"), 3, 2, 2, 1.0, median(p1, p3));
        assertSurveys(rows.get("DE-EMB"), 1, 0, 0, null, null);
        assertSurveys(rows.get("PL-EMB"), 1, 1, 0, 0.0, median(p2));
        assertSurveys(rows.get("HQ-EUR"), 0, 0, 0, null, null);
        assertSurveys(rows.get("IT-EMB"), 0, 0, 0, null, null);
        // The requester: three surveys, five targets still asked, three responses.
        JsonNode hqFigures = rows.get("HQ-EUR").get("figures");
        assertThat(hqFigures.get("surveysSent").asLong()).isEqualTo(3);
        assertThat(hqFigures.get("surveyTargets").asLong()).isEqualTo(5);
        assertThat(hqFigures.get("surveyResponses").asLong()).isEqualTo(3);
        assertThat(hqFigures.get("surveyResponseRate").asDouble()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(rows.get("FR-EMB").get("figures").get("surveysSent").asLong()).isZero();
        assertThat(rows.get("FR-EMB").get("figures").get("surveyResponseRate").isNull()).isTrue();

        // Europe's offices together: the median of all three response times, not a median of medians.
        Https.Response europe = hqReader.get("/api/stats?by=region&region=EUROPE&" + window);
        assertSurveys(rows(europe).get("EUROPE"), 5, 3, 2, 2.0 / 3, median(p1, p2, p3));
        assertThat(europe.json().get("totals").get("medianResponseSeconds").asDouble())
                .isCloseTo(median(p1, p2, p3), org.assertj.core.data.Offset.offset(1e-3));
        // An office sees its own survey figures.
        assertSurveys(rows(https(pl.keys()).get("/api/stats?" + window)).get("PL-EMB"), 1, 1, 0, 0.0, median(p2));
        // The CSV: on-time rate with four decimals, the median in whole seconds.
        String csv = hqReader.get("/api/stats?org=FR-EMB&format=csv&" + window).body();
        assertThat(csv.split("\r\n")[1]).endsWith(",EUROPE,1,2,3,3,3,2,0.6667,3,2,2,1.0000," + Math.round(median(p1, p3)) + ",0,0,0,");
    }

    // --- CSV

    @Test
    void csv_has_a_header_row_one_row_per_unit_chinese_names_and_rfc_4180_quoting() {
        String query = "/api/stats?region=EUROPE&" + window();
        Https.Response r = hqReader.get(query + "&format=csv");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String[] lines = r.body().split("\r\n", -1);
        assertThat(lines[lines.length - 1]).isEmpty(); // every line ends with CRLF, the last included
        assertThat(lines[0]).isEqualTo(String.join(",", StatisticsCsv.HEADER));
        assertThat(lines).hasSize(1 + server.region(Region.EUROPE).size() + 1);
        String from = OffsetDateTime.ofInstant(start, Period.DEFAULT_ZONE).toString();
        String fr = Arrays.stream(lines).filter(l -> l.contains(",FR-EMB,")).findFirst().orElseThrow();
        assertThat(fr).startsWith(from + ",");
        assertThat(fr).endsWith(",FR-EMB,驻法国使馆经济商务处,\"Economic and Commercial Office, Embassy in France\",OVERSEAS_OFFICE,"
                + "EUROPE,1,1,2,2,2,1,0.5000,0,0,0,,,0,0,0,");
        String es = Arrays.stream(lines).filter(l -> l.contains(",ES-EMB,")).findFirst().orElseThrow();
        assertThat(es).endsWith(",EUROPE,1,0,0,0,0,0,,0,0,0,,,0,0,0,");

        // The same through the Accept header, with its media type and a file name.
        Https.Response accepted = hqReader.get(query, "text/csv");
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo(r.body());
        var headers = hqReader.headers(query, "text/csv");
        assertThat(headers.firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t.toLowerCase()).isEqualTo("text/csv;charset=utf-8"));
        assertThat(headers.firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).contains("attachment", ".csv"));
        // JSON preferred over CSV, and no Accept at all: JSON.
        assertThat(hqReader.get(query, "application/json, text/csv;q=0.5").json()).isNotNull();
        assertThat(hqReader.get(query, "*/*").json().get("rows")).isNotNull();
    }

    // --- who may see what

    @Test
    void an_overseas_office_sees_its_own_row_only_and_is_refused_anything_else() {
        Https fr = https(offices.get("FR-EMB").keys());
        Https.Response own = fr.get("/api/stats?" + window());
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(rows(own).keySet()).containsExactly("FR-EMB");
        assertDocuments(rows(own).get("FR-EMB"), 1, 2, 2, 2, 1, 0.5);
        assertFigures(own.json().get("totals"), 1, 2, 2, 2, 1, 0.5);
        assertThat(own.json().get("filters").get("organization").asString()).isEqualTo("FR-EMB");
        assertThat(rows(fr.get("/api/stats?by=total&" + window())).get("TOTAL").get("figures").get("units").asLong()).isEqualTo(1);
        assertThat(fr.get("/api/stats?org=FR-EMB&region=EUROPE&kind=OVERSEAS_OFFICE&" + window()).status()).isEqualTo(200);

        assertForbidden(fr.get("/api/stats?org=DE-EMB&" + window()), "staff of FR-EMB see the statistics of FR-EMB only", "DE-EMB");
        assertForbidden(fr.get("/api/stats?by=region&" + window()), "FR-EMB only", "region");
        assertForbidden(fr.get("/api/stats?region=AFRICA&" + window()), "FR-EMB only", "AFRICA");
        assertForbidden(fr.get("/api/stats?kind=HQ_DEPARTMENT&" + window()), "FR-EMB only", "HQ_DEPARTMENT");

        // Every read and every refusal is in the audit log, with what was asked.
        List<Map<String, Object>> audited = server.jdbc().queryForList("""
                SELECT outcome, subject, detail FROM audit_log WHERE action = 'STATISTICS_READ' AND actor = ? ORDER BY id""",
                "urn:pouch:staff:FR-EMB:officer");
        assertThat(audited).extracting(m -> m.get("outcome")).containsExactly("OK", "OK", "OK", "REFUSED", "REFUSED", "REFUSED",
                "REFUSED");
        assertThat(audited.get(0).get("subject").toString()).contains("by organization", "organization FR-EMB");
        assertThat(audited.get(3).get("subject").toString()).contains("organization DE-EMB");
        assertThat(audited.get(3).get("detail").toString()).startsWith("FORBIDDEN: ");
    }

    @Test
    void hq_staff_of_any_role_and_auditors_of_an_office_see_every_unit() {
        int all = server.bean(Directory.class).all().size();
        assertThat(rows(hqReader.get("/api/stats?" + window()))).hasSize(all);
        Https auditor = https(server.enrol("KE-EMB", "auditor", Role.AUDITOR));
        Https.Response r = auditor.get("/api/stats?" + window());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(rows(r)).hasSize(all);
        assertDocuments(rows(r).get("HQ-EUR"), 3, 2, 2, 2, 1, 0.5);
        assertThat(auditor.get("/api/stats?by=region&" + window()).status()).isEqualTo(200);
        Https admin = https(server.enrol("CH-EMB", "admin", Role.ADMIN));
        assertThat(rows(admin.get("/api/stats?org=DE-EMB&" + window())).keySet()).containsExactly("DE-EMB");
        // The same office's ordinary staff: its own row only.
        Https keOfficer = https(server.enrol("KE-EMB", "officer", Role.READER));
        assertThat(rows(keOfficer.get("/api/stats?" + window())).keySet()).containsExactly("KE-EMB");
        // Without a staff certificate: nothing.
        Https.Response anonymous = Https.as(null, server.root(), server.httpsPort()).get("/api/stats");
        assertThat(anonymous.status()).isEqualTo(403);
        assertThat(anonymous.json().get("code").asInt()).isEqualTo(ErrorCode.UNKNOWN_STAFF.code());
    }

    // --- bad input

    @Test
    void bad_input_is_refused_with_invalid_request_and_a_sentence_saying_what_is_wrong() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("region=NARNIA", "region 'NARNIA' is not one of HQ, EUROPE");
        cases.put("org=XX-NOPE", "'XX-NOPE' is not an organization of this exchange");
        cases.put("org=not%20a%20code", "is not an organization of this exchange");
        cases.put("kind=EMBASSY", "kind 'EMBASSY' is not one of HQ_DEPARTMENT, OVERSEAS_OFFICE");
        cases.put("by=country", "by 'country' is not one of ORGANIZATION, REGION, TOTAL");
        cases.put("from=2026-12-01&to=2026-11-01", "from (2026-12-01) must be before to (2026-11-01)");
        cases.put("from=2026-11-01&to=2026-11-01", "must be before to");
        cases.put("from=2026-11-01", "give both from and to");
        cases.put("from=yesterday&to=2026-11-01", "from 'yesterday' is not a date");
        cases.put("period=2026-13", "period '2026-13' is not a month, quarter or year");
        cases.put("period=2026-Q5", "period '2026-Q5' is not a month, quarter or year");
        cases.put("period=26", "period '26' is not a month");
        cases.put("period=2026-11&from=2026-11-01&to=2026-12-01", "give either period or from and to, not both");
        cases.put("period=2026&zone=Mars/Olympus", "zone 'Mars/Olympus' is not a time zone");
        cases.put("format=xml", "format 'xml' is not one of JSON, CSV");
        cases.put("regoin=EUROPE", "unknown parameter regoin");
        cases.put("region=EUROPE&region=ASIA", "region is given 2 times");
        cases.forEach((query, sentence) -> {
            Https.Response r = hqReader.get("/api/stats?" + query);
            assertThat(r.status()).as(query + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().get("code").asInt()).as(query).isEqualTo(ErrorCode.INVALID_REQUEST.code());
            assertThat(r.json().get("name").asString()).isEqualTo("INVALID_REQUEST");
            assertThat(r.json().get("message").asString()).as(query).contains(sentence);
            assertThat(r.json().get("retryable").asBoolean()).isFalse();
        });
        // A refusal asked for as CSV still comes as the JSON error every REST call gives.
        Https.Response csv = hqReader.get("/api/stats?region=NARNIA", "text/csv");
        assertThat(csv.status()).as(csv.body()).isEqualTo(400);
        assertThat(csv.json().get("code").asInt()).isEqualTo(ErrorCode.INVALID_REQUEST.code());
        Integer refused = server.jdbc().queryForObject("""
                SELECT count(*) FROM audit_log WHERE action = 'STATISTICS_READ' AND outcome = 'REFUSED' AND actor = ?
                  AND detail LIKE 'INVALID_REQUEST: %'""", Integer.class, "urn:pouch:staff:HQ-WAA:reader");
        assertThat(refused).isEqualTo(cases.size() + 1);
    }

    // --- helpers

    private static Letters.Letter survey(List<String> targets, Instant deadline) {
        byte[] content = "各驻外经商机构：请报送所在国电信市场情况。".getBytes(StandardCharsets.UTF_8);
        DocumentHeader h = Letters.header("HQ-EUR", targets, Precedence.URGENT, Classification.INTERNAL)
                .type(DocumentType.SURVEY_REQUEST).subject("调研函 " + UUID.randomUUID()).deadline(deadline)
                .attachment(new Attachment("letter.txt", "text/plain", content.length)).build();
        return new Letters.Letter(h, content);
    }

    private static UUID report(TestOffice office, UUID survey) {
        byte[] content = (office.organization().value() + " 调研报告").getBytes(StandardCharsets.UTF_8);
        DocumentHeader h = Letters.header(office.organization().value(), List.of("HQ-EUR"), Precedence.ROUTINE, Classification.INTERNAL)
                .type(DocumentType.REPORT).inReplyTo(survey).subject("调研报告")
                .attachment(new Attachment("report.txt", "text/plain", content.length)).build();
        office.send(h, content);
        return h.documentId();
    }

    private static void delivered(UUID id, TestOffice... to) {
        for (TestOffice o : to) {
            o.awaitDocument(id, AT_ONCE);
            o.awaitReceiptAccepted(id, AT_ONCE);
        }
    }

    /**
     * The median, computed here from the stored times, of each response's time: its acceptance
     * (responded_at) after the delivery of the request to the responding office.
     */
    private static double median(UUID... responses) {
        double[] seconds = Arrays.stream(responses).mapToDouble(id -> {
            Map<String, Object> t = server.jdbc().queryForMap("""
                    SELECT t.responded_at, r.delivered_at FROM survey_target t
                    JOIN recipient r ON r.document_id = t.request_id AND r.organization = t.organization
                    WHERE t.response_id = ?""", id);
            Instant responded = ((java.sql.Timestamp) t.get("responded_at")).toInstant();
            Instant delivered = ((java.sql.Timestamp) t.get("delivered_at")).toInstant();
            return Duration.between(delivered, responded).toNanos() / 1e9;
        }).sorted().toArray();
        int n = seconds.length;
        return n % 2 == 1 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
    }

    private static void assertSurveys(JsonNode row, long asked, long answered, long onTime, Double onTimeRate, Double median) {
        JsonNode f = row.get("figures");
        String what = row.get("key").asString();
        assertThat(f.get("surveysAsked").asLong()).as(what + " asked").isEqualTo(asked);
        assertThat(f.get("surveysAnswered").asLong()).as(what + " answered").isEqualTo(answered);
        assertThat(f.get("answeredOnTime").asLong()).as(what + " on time").isEqualTo(onTime);
        if (onTimeRate == null) {
            assertThat(f.get("onTimeRate").isNull()).as(what + " on-time rate").isTrue();
        } else {
            assertThat(f.get("onTimeRate").asDouble()).as(what + " on-time rate").isCloseTo(onTimeRate, org.assertj.core.data.Offset.offset(1e-9));
        }
        if (median == null) {
            assertThat(f.get("medianResponseSeconds").isNull()).as(what + " median").isTrue();
        } else {
            assertThat(f.get("medianResponseSeconds").asDouble()).as(what + " median").isCloseTo(median, org.assertj.core.data.Offset.offset(1e-3));
            assertThat(median).as(what + " median").isPositive();
        }
    }

    private static Letters.Letter letter(String sender, List<String> action, List<String> information) {
        byte[] content = ("关于" + sender + "的通知 " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        DocumentHeader header = Letters.header(sender, action, Precedence.ROUTINE, Classification.INTERNAL)
                .type(DocumentType.NOTICE)
                .informationRecipients(information.stream().map(OrgCode::of).toList())
                .attachment(new Attachment("notice.txt", "text/plain", content.length)).build();
        return new Letters.Letter(header, content);
    }

    private static Https https(TestOffice.Keys keys) {
        return Https.as(keys.tls(), server.root(), server.httpsPort());
    }

    private static String window() {
        return "from=" + enc(start) + "&to=" + enc(end);
    }

    private static String enc(Instant t) {
        return URLEncoder.encode(OffsetDateTime.ofInstant(t, Period.DEFAULT_ZONE).toString(), StandardCharsets.UTF_8);
    }

    private static Map<String, JsonNode> rows(Https.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        r.json().get("rows").forEach(n -> rows.put(n.get("key").asString(), n));
        return rows;
    }

    private static void assertDocuments(JsonNode row, long sent, long received, long delivered, long actionItems, long replied,
            Double replyRate) {
        assertThat(row).as("row").isNotNull();
        assertThat(row.get("figures").get("units").asLong()).isEqualTo(1);
        assertFigures(row, sent, received, delivered, actionItems, replied, replyRate);
    }

    /** {@code node}: a row (figures inside) or the totals (figures themselves). */
    private static void assertFigures(JsonNode node, long sent, long received, long delivered, long actionItems, long replied,
            Double replyRate) {
        JsonNode f = node.has("figures") ? node.get("figures") : node;
        String what = node.has("key") ? node.get("key").asString() : "totals";
        assertThat(f.get("sent").asLong()).as(what + " sent").isEqualTo(sent);
        assertThat(f.get("received").asLong()).as(what + " received").isEqualTo(received);
        assertThat(f.get("delivered").asLong()).as(what + " delivered").isEqualTo(delivered);
        assertThat(f.get("actionItems").asLong()).as(what + " action items").isEqualTo(actionItems);
        assertThat(f.get("replied").asLong()).as(what + " replied").isEqualTo(replied);
        if (replyRate == null) {
            assertThat(f.get("replyRate").isNull()).as(what + " reply rate").isTrue();
        } else {
            assertThat(f.get("replyRate").asDouble()).as(what + " reply rate").isCloseTo(replyRate, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    private static void assertForbidden(Https.Response r, String... sentence) {
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().get("code").asInt()).isEqualTo(ErrorCode.FORBIDDEN.code());
        assertThat(r.json().get("message").asString()).contains(sentence);
    }
}
