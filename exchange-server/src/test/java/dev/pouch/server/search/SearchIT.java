package dev.pouch.server.search;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.document.SharingScope;
import dev.pouch.server.directory.Role;
import dev.pouch.server.testing.Docx;
import dev.pouch.server.testing.Https;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.Pdf;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import dev.pouch.server.testing.Xlsx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search on a real server of its own: Chinese queries of 2, 4 and 10 characters (and one whose
 * character pairs all occur, but not together), English, French, Russian and Arabic inside .docx,
 * .pdf and .xlsx attachments whose text the exchange extracted, document-number lookup, filters,
 * facets, order, pages, highlighted and escaped snippets, and every kind of bad request refused with
 * INVALID_REQUEST and a sentence.
 */
class SearchIT {

    private static Path dir;
    private static TestServer server;
    private static Https reader;
    /** Documents by name: d1 (docx), d2 (pdf), d3 (xlsx), d4 (the decoy, plain text). */
    private static final Map<String, DocumentHeader> docs = new HashMap<>();

    @BeforeAll
    static void archive() {
        dir = TestServer.tempDir();
        server = TestServer.start(dir);
        Map<String, TestOffice> offices = new HashMap<>();
        for (String org : List.of("HQ-EUR", "FR-EMB", "DE-EMB", "RU-EMB")) {
            offices.put(org, server.office(org));
        }
        offices.values().forEach(TestOffice::awaitConnected);
        reader = Https.as(server.enrol("HQ-WAA", "reader", Role.READER).tls(), server.root(), server.httpsPort());

        send(offices.get("HQ-EUR"), "d1", List.of("FR-EMB", "DE-EMB"), DocumentType.NOTICE, Classification.INTERNAL, Precedence.URGENT,
                "关于中欧电信合作的通知", "d1.docx", Docx.MEDIA_TYPE, Docx.of("""
                        中欧电信市场准入谈判进展情况通报
                        请各驻外经商机构关注所在国电信监管政策的变化。
                        The negotiation on market access continues.
                        تقرير عن سوق الاتصالات في أوروبا
                        Escape check: <b>script</b> & co."""));
        send(offices.get("FR-EMB"), "d2", List.of("HQ-EUR"), DocumentType.REPORT, Classification.PUBLIC, Precedence.ROUTINE,
                "Rapport sur les télécommunications", "d2.pdf", Pdf.MEDIA_TYPE, Pdf.of("""
                        L'économie française et les télécommunications en 2026
                        The telecommunications market report of the office in Paris
                        Российский рынок телекоммуникаций растёт
                        السوق المصرية للاتصالات"""));
        send(offices.get("DE-EMB"), "d3", List.of("HQ-EUR"), DocumentType.STATISTICS, Classification.INTERNAL, Precedence.FLASH,
                "进出口贸易统计 2026", "d3.xlsx", Xlsx.MEDIA_TYPE, Xlsx.of("统计", """
                        进出口贸易统计表\tTrade statistics
                        статистика торговли\tتقرير السوق التجاري
                        Germany\t1234"""));
        send(offices.get("RU-EMB"), "d4", List.of("HQ-EUR"), DocumentType.REPLY, Classification.PUBLIC, Precedence.ROUTINE,
                "答复", "d4.txt", "text/plain", "答复：电信，信市，市场，均已知悉。".getBytes(StandardCharsets.UTF_8));
    }

    private static void send(TestOffice office, String name, List<String> to, DocumentType type, Classification c, Precedence p,
            String subject, String file, String mediaType, byte[] content) {
        DocumentHeader h = Letters.header(office.organization().value(), to, p, c).type(type).subject(subject)
                .sharingScope(SharingScope.EXCHANGE).attachment(new Attachment(file, mediaType, content.length)).build();
        office.send(h, content);
        docs.put(name, h);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        TestServer.deleteTree(dir);
    }

    private static Https.Response get(String query) {
        return reader.get("/api/search?" + query);
    }

    private static List<String> found(String q) {
        return found(get("q=" + enc(q)));
    }

    private static List<String> found(Https.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        r.json().get("hits").forEach(h -> names.add(name(UUID.fromString(h.get("id").asText()))));
        return names;
    }

    private static String name(UUID id) {
        return docs.entrySet().stream().filter(e -> e.getValue().documentId().equals(id)).map(Map.Entry::getKey).findFirst()
                .orElse(id.toString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // --- Chinese

    @Test
    void chinese_queries_of_two_four_and_ten_characters_find_the_documents_that_hold_them() {
        assertThat(found("电信")).containsExactlyInAnyOrder("d1", "d4");
        assertThat(found("准入谈判")).containsExactly("d1");
        assertThat(found("电信市场准入谈判进展")).containsExactly("d1");
        assertThat(found("进出口贸易")).containsExactly("d3"); // from the spreadsheet and the subject
        assertThat(found("监管政策")).containsExactly("d1"); // from the Word document's second paragraph
    }

    @Test
    void a_chinese_query_whose_pairs_all_occur_but_not_together_is_not_a_match() {
        // d4 holds 电信, 信市 and 市场 in separate words: the bigram index finds it, the phrase recheck drops it.
        assertThat(found("电信市场")).containsExactly("d1");
    }

    @Test
    void snippets_mark_what_was_found_and_escape_the_rest() {
        Https.Response r = get("q=" + enc("准入谈判"));
        String snippet = r.json().get("hits").get(0).get("snippet").asText();
        assertThat(snippet).contains("<mark>准入谈判</mark>");
        Https.Response escape = get("q=script");
        String s = escape.json().get("hits").get(0).get("snippet").asText();
        assertThat(s).contains("&lt;b&gt;<mark>script</mark>&lt;/b&gt; &amp; co").doesNotContain("<b>");
    }

    // --- other languages, in each kind of file

    @Test
    void english_french_russian_and_arabic_are_found_in_docx_pdf_and_xlsx() {
        assertThat(found("telecommunications")).containsExactly("d2");
        assertThat(found("TELECOMMUNICATIONS market")).containsExactly("d2");
        assertThat(found("negotiation")).containsExactly("d1");
        assertThat(found("statistics")).containsExactly("d3");
        assertThat(found("économie")).containsExactly("d2");
        assertThat(found("economie")).as("accents are ignored").containsExactly("d2");
        assertThat(found("télécommunications")).containsExactly("d2");
        assertThat(found("рынок")).containsExactly("d2");
        assertThat(found("РЫНОК телекоммуникаций")).containsExactly("d2");
        assertThat(found("статистика")).containsExactly("d3");
        assertThat(found("الاتصالات")).containsExactly("d1");
        assertThat(found("التجاري")).containsExactly("d3");
        assertThat(found("السوق")).contains("d2", "d3");
    }

    @Test
    void quoted_phrases_must_appear_as_written() {
        assertThat(found("\"telecommunications market\"")).containsExactly("d2");
        assertThat(found("\"market telecommunications\"")).isEmpty();
    }

    // --- document numbers

    @Test
    void a_document_number_is_found_exactly_whatever_its_brackets() {
        String number = docs.get("d1").documentNumber(); // e.g. HQ-EUR〔2026〕123号
        assertThat(found(get("number=" + enc(number)))).containsExactly("d1");
        assertThat(found(get("number=" + enc(number.replace('〔', '[').replace('〕', ']'))))).containsExactly("d1");
        assertThat(found(get("number=" + enc(number.replace('〔', '（').replace('〕', '）').toLowerCase()) + "&q=" + enc("电信"))))
                .containsExactly("d1");
        assertThat(found(get("number=" + enc(number + "0")))).isEmpty();
    }

    // --- filters, facets, order, pages

    @Test
    void filters_narrow_and_facets_count_all_matches() {
        assertThat(found(get("type=report"))).containsExactly("d2");
        assertThat(found(get("type=report,statistics&sort=date"))).containsExactly("d3", "d2");
        assertThat(found(get("region=EURASIA"))).containsExactly("d4");
        assertThat(found(get("sender=FR-EMB"))).containsExactly("d2");
        assertThat(found(get("org=DE-EMB&sort=date"))).containsExactly("d3", "d1"); // sent or received
        assertThat(found(get("classification=PUBLIC&sort=date"))).containsExactly("d4", "d2");
        assertThat(found(get("precedence=FLASH"))).containsExactly("d3");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        assertThat(found(get("to=" + yesterday))).isEmpty();
        assertThat(found(get("from=" + today + "&to=" + today))).hasSize(4);

        Https.Response r = get("q=" + enc("电信"));
        Map<String, Long> types = counts(r.json().get("facets").get("type"));
        assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of("NOTICE", 1L, "REPLY", 1L));
        assertThat(counts(r.json().get("facets").get("region"))).containsExactlyInAnyOrderEntriesOf(Map.of("HQ", 1L, "EURASIA", 1L));
        assertThat(r.json().get("total").asLong()).isEqualTo(2);
        assertThat(r.json().get("exact").asBoolean()).isTrue();
    }

    @Test
    void results_come_newest_first_by_date_and_in_pages() {
        assertThat(found(get("sort=date"))).containsExactly("d4", "d3", "d2", "d1");
        assertThat(found(get("sort=date&size=2&page=2"))).containsExactly("d2", "d1");
        assertThat(found(get("sort=date&size=3&page=2"))).containsExactly("d1");
        Https.Response beyond = get("sort=date&size=3&page=3");
        assertThat(found(beyond)).isEmpty();
        assertThat(beyond.json().get("total").asLong()).isEqualTo(4);
        // A subject match ranks first by relevance.
        assertThat(found(get("q=" + enc("进出口贸易统计")))).first().isEqualTo("d3");
    }

    @Test
    void the_document_page_and_its_attachment_are_the_ones_sent() {
        Https.Response page = reader.get("/api/documents/" + docs.get("d3").documentId());
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.json().get("type").asText()).isEqualTo("STATISTICS");
        assertThat(page.json().get("attachments").get(0).get("name").asText()).isEqualTo("d3.xlsx");
        assertThat(page.json().get("attachments").get(0).get("detectedType").asText()).isEqualTo(Xlsx.MEDIA_TYPE);
        var headers = reader.headers("/api/documents/" + docs.get("d3").documentId() + "/attachments/0", "*/*");
        assertThat(headers.firstValue("Content-Type").orElseThrow()).startsWith(Xlsx.MEDIA_TYPE);
        assertThat(headers.firstValue("Content-Disposition").orElseThrow()).contains("d3.xlsx");
        Https.Response missing = reader.get("/api/documents/" + docs.get("d3").documentId() + "/attachments/5");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(reader.get("/api/documents/not-a-uuid").json().get("name").asText()).isEqualTo("INVALID_REQUEST");
    }

    // --- refusals

    @Test
    void bad_requests_are_refused_with_a_stable_code_and_a_clear_sentence_and_audited() {
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("query=x", "unknown parameter query");
        refusals.put("type=memo", "type 'memo' is not one of notice, request");
        refusals.put("region=MARS", "region 'MARS' is not one of");
        refusals.put("sort=popularity", "sort 'popularity' is not one of relevance, date");
        refusals.put("from=23.11.2026", "from '23.11.2026' is not a date (2026-11-23)");
        refusals.put("from=2026-11-23&to=2026-11-01", "must be before to");
        refusals.put("page=0", "page is counted from 1");
        refusals.put("size=500", "size is 1 to 200");
        refusals.put("size=ten", "size 'ten' is not a whole number");
        refusals.put("q=" + enc("电"), "at least two adjacent Chinese characters");
        refusals.put("q=" + enc("!!!"), "has no letters or digits");
        refusals.put("q=" + "a".repeat(1001), "at most 1000");
        refusals.put("sender=france", "'france' is not an organization code");
        refusals.put("q=a&q=b", "q is given 2 times");
        refusals.put("zone=Mars/Olympus", "is not a time zone");
        refusals.forEach((query, sentence) -> {
            Https.Response r = get(query);
            assertThat(r.status()).as(query + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().get("code").asInt()).isEqualTo(r.json().get("code").asInt());
            assertThat(r.json().get("name").asText()).as(query).isEqualTo("INVALID_REQUEST");
            assertThat(r.json().get("message").asText()).as(query).contains(sentence);
        });
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM audit_log WHERE action = 'SEARCH' AND outcome = 'REFUSED'"
                + " AND actor = 'urn:pouch:staff:HQ-WAA:reader'", Long.class)).isGreaterThanOrEqualTo(refusals.size());
        Https.Response anonymous = Https.as(null, server.root(), server.httpsPort()).get("/api/search?q=x");
        assertThat(anonymous.status()).isEqualTo(403);
        assertThat(anonymous.json().get("name").asText()).isEqualTo("UNKNOWN_STAFF");
    }

    private static Map<String, Long> counts(JsonNode facet) {
        Map<String, Long> m = new HashMap<>();
        facet.forEach(c -> m.put(c.get("value").asText(), c.get("count").asLong()));
        return m;
    }
}
