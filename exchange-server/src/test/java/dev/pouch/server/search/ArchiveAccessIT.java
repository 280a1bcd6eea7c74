package dev.pouch.server.search;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.document.SharingScope;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.message.SearchQuery;
import dev.pouch.protocol.message.SearchResults;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.testing.Https;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access-control matrix: staff of a sending HQ department, a receiving office, an office and an
 * HQ department that neither sent nor received, each with PUBLIC and with INTERNAL clearance ×
 * documents of each classification (PUBLIC, INTERNAL) and sharing scope (recipients only, all HQ,
 * whole exchange) × every way of reaching data: search hits, counts, facets, snippets, lookups by
 * number and by a word only one document holds, the document's page, its attachment, the protocol's
 * search, and the database itself as the viewer role. Zero reads the rule does not allow, including
 * by guessing ids, which are answered exactly like ids that do not exist.
 */
class ArchiveAccessIT {

    private static final String TOKEN = "matrixkeyword";

    /** A document of the matrix and its unique word. */
    private record Doc(UUID id, String number, Classification classification, SharingScope scope, String word, byte[] attachment) {
    }

    /** A staff member of the matrix. */
    private record Person(String organization, String staffId, boolean hq, Classification clearance, Https https) {
        String name() {
            return staffId + "@" + organization;
        }
    }

    private static Path dir;
    private static TestServer server;
    private static TestOffice sender;
    private static final List<Doc> docs = new ArrayList<>();
    private static final List<Person> people = new ArrayList<>();

    @BeforeAll
    static void matrix() {
        dir = TestServer.tempDir();
        server = TestServer.start(dir);
        sender = server.office("HQ-EUR").awaitConnected();
        for (String org : List.of("HQ-EUR", "FR-EMB", "DE-EMB", "HQ-WAA")) {
            for (Classification clearance : List.of(Classification.PUBLIC, Classification.INTERNAL)) {
                String id = clearance.name().toLowerCase(Locale.ROOT) + ".reader";
                TestOffice.Keys keys = server.enrol(org, id, Role.READER);
                server.bean(StaffRepository.class).save(OrgCode.of(org), id, id, EnumSet.of(Role.READER), clearance);
                people.add(new Person(org, id, org.startsWith("HQ-"), clearance, Https.as(keys.tls(), server.root(), server.httpsPort())));
            }
        }
        for (Classification c : List.of(Classification.PUBLIC, Classification.INTERNAL)) {
            for (SharingScope s : SharingScope.values()) {
                String word = ("only" + c + s).toLowerCase(Locale.ROOT).replace("_", "");
                String text = "关于电信市场调研的通知。" + TOKEN + " " + word + " <b>bold</b> the report is due.";
                byte[] content = text.getBytes(StandardCharsets.UTF_8);
                DocumentHeader h = Letters.header("HQ-EUR", List.of("FR-EMB"), Precedence.ROUTINE, c).sharingScope(s)
                        .subject("矩阵测试 " + c + " " + s).attachment(new Attachment("note.txt", "text/plain", content.length)).build();
                sender.send(h, content);
                docs.add(new Doc(h.documentId(), h.documentNumber(), c, s, word, content));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        TestServer.deleteTree(dir);
    }

    /** The rule, written out independently of the code under test. */
    private static boolean allowed(Person p, Doc d) {
        if (p.organization().equals("HQ-EUR") || p.organization().equals("FR-EMB")) {
            return true;
        }
        boolean cleared = d.classification() == Classification.PUBLIC || p.clearance() == Classification.INTERNAL;
        return cleared && (d.scope() == SharingScope.EXCHANGE || (d.scope() == SharingScope.ALL_HQ && p.hq()));
    }

    private static Set<UUID> expected(Person p) {
        Set<UUID> ids = new HashSet<>();
        docs.stream().filter(d -> allowed(p, d)).forEach(d -> ids.add(d.id()));
        return ids;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void the_matrix_itself_is_not_trivial() {
        // Someone sees everything, someone sees nothing of it but the EXCHANGE PUBLIC document.
        assertThat(people.stream().mapToInt(p -> expected(p).size()).distinct().count()).isGreaterThanOrEqualTo(3);
        Person dePublic = person("DE-EMB", Classification.PUBLIC);
        assertThat(expected(dePublic)).hasSize(1);
    }

    @Test
    void search_hits_counts_facets_and_snippets_show_exactly_what_the_rule_allows() {
        for (Person p : people) {
            Set<UUID> want = expected(p);
            for (String sort : List.of("relevance", "date")) {
                Https.Response r = p.https().get("/api/search?q=" + TOKEN + "&size=50&sort=" + sort);
                assertThat(r.status()).as(p.name() + ": " + r.body()).isEqualTo(200);
                Set<UUID> got = new HashSet<>();
                r.json().get("hits").forEach(h -> got.add(UUID.fromString(h.get("id").asText())));
                assertThat(got).as(p.name() + " hits").isEqualTo(want);
                assertThat(r.json().get("total").asLong()).as(p.name() + " total").isEqualTo(want.size());
                for (String field : List.of("type", "region", "sender", "classification", "precedence")) {
                    long sum = 0;
                    for (JsonNode c : r.json().get("facets").get(field)) {
                        sum += c.get("count").asLong();
                    }
                    assertThat(sum).as(p.name() + " facet " + field).isEqualTo(want.size());
                }
                Map<String, Long> byClassification = new HashMap<>();
                r.json().get("facets").get("classification").forEach(c -> byClassification.put(c.get("value").asText(),
                        c.get("count").asLong()));
                for (Classification c : List.of(Classification.PUBLIC, Classification.INTERNAL)) {
                    long n = docs.stream().filter(d -> d.classification() == c && allowed(p, d)).count();
                    assertThat(byClassification.getOrDefault(c.name(), 0L)).as(p.name() + " " + c).isEqualTo(n);
                }
                r.json().get("hits").forEach(h -> {
                    assertThat(h.get("snippet").asText()).contains("<mark>" + TOKEN + "</mark>").contains("&lt;b&gt;bold&lt;/b&gt;")
                            .doesNotContain("<b>");
                });
            }
            // A Chinese query and a filter-only listing reach the same set, no more.
            Https.Response zh = p.https().get("/api/search?q=" + enc("电信市场") + "&size=50");
            assertThat(ids(zh)).as(p.name() + " 电信市场").isEqualTo(want);
            Https.Response listing = p.https().get("/api/search?sender=HQ-EUR&size=200");
            assertThat(ids(listing)).as(p.name() + " listing").isEqualTo(want);
        }
    }

    @Test
    void words_numbers_and_ids_of_documents_out_of_reach_find_nothing_and_look_like_nothing() {
        for (Person p : people) {
            for (Doc d : docs) {
                boolean ok = allowed(p, d);
                Https.Response byWord = p.https().get("/api/search?q=" + d.word());
                assertThat(byWord.json().get("total").asLong()).as(p.name() + " word " + d.word()).isEqualTo(ok ? 1 : 0);
                byWord.json().get("facets").forEach(f -> f.forEach(c ->
                        assertThat(ok).as(p.name() + " facet leak for " + d.word()).isTrue()));
                Https.Response byNumber = p.https().get("/api/search?number=" + enc(d.number()));
                assertThat(byNumber.json().get("total").asLong()).as(p.name() + " number " + d.number()).isEqualTo(ok ? 1 : 0);

                Https.Response page = p.https().get("/api/documents/" + d.id());
                Https.Response file = p.https().get("/api/documents/" + d.id() + "/attachments/0");
                if (ok) {
                    assertThat(page.status()).as(p.name() + " " + d).isEqualTo(200);
                    assertThat(page.json().get("number").asText()).isEqualTo(d.number());
                    assertThat(page.json().get("recipients").get(0).get("organization").asText()).isEqualTo("FR-EMB");
                    assertThat(file.status()).isEqualTo(200);
                    assertThat(file.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(d.attachment());
                } else {
                    UUID nobody = UUID.randomUUID();
                    Https.Response none = p.https().get("/api/documents/" + nobody);
                    assertThat(page.status()).as(p.name() + " " + d).isEqualTo(404);
                    assertThat(page.body().replace(d.id().toString(), "ID")).isEqualTo(none.body().replace(nobody.toString(), "ID"));
                    Https.Response noFile = p.https().get("/api/documents/" + nobody + "/attachments/0");
                    assertThat(file.status()).isEqualTo(404);
                    assertThat(file.body().replace(d.id().toString(), "ID")).isEqualTo(noFile.body().replace(nobody.toString(), "ID"));
                }
            }
        }
    }

    @Test
    void the_database_itself_shows_the_viewer_role_only_what_the_rule_allows() throws SQLException {
        DataSource app = server.bean(DataSource.class);
        for (Person p : people) {
            Set<UUID> want = expected(p);
            try (Connection c = app.getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL ROLE pouch_viewer");
                }
                try (PreparedStatement s = c.prepareStatement("SELECT set_config('pouch.viewer_org', ?, true),"
                        + " set_config('pouch.viewer_clearance', ?, true), set_config('pouch.viewer_hq', ?, true)")) {
                    s.setString(1, p.organization());
                    s.setString(2, p.clearance().name());
                    s.setString(3, String.valueOf(p.hq()));
                    s.executeQuery().close();
                }
                for (String table : List.of("search_entry", "document_text", "attachment", "recipient")) {
                    assertThat(ids(c, "SELECT document_id FROM " + table)).as(p.name() + " " + table).isEqualTo(want);
                }
                assertThat(ids(c, "SELECT id FROM document")).as(p.name() + " document").isEqualTo(want);
                // The candidates function applies the same rule.
                assertThat(ids(c, "SELECT document_id FROM search_matches(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                        + " NULL, NULL, 1000)")).as(p.name() + " search_matches").isEqualTo(want);
                c.rollback();
            }
        }
        // With nothing set, the viewer sees nothing at all; and it cannot write.
        try (Connection c = app.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL ROLE pouch_viewer");
            }
            assertThat(ids(c, "SELECT id FROM document")).isEmpty();
            try (Statement s = c.createStatement()) {
                s.execute("SAVEPOINT w");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.execute("DELETE FROM audit_log"))
                        .hasMessageContaining("permission denied");
                s.execute("ROLLBACK TO SAVEPOINT w");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.execute("SELECT * FROM blob_chunk LIMIT 1"))
                        .hasMessageContaining("permission denied");
            }
            c.rollback();
        }
    }

    @Test
    void the_protocol_search_answers_the_same_as_rest() {
        for (Classification clearance : List.of(Classification.PUBLIC, Classification.INTERNAL)) {
            Person p = person("DE-EMB", clearance);
            String staffId = p.staffId();
            TestOffice office = server.connect(server.enrol("DE-EMB", staffId, Role.READER));
            server.bean(StaffRepository.class).save(OrgCode.of("DE-EMB"), staffId, staffId, EnumSet.of(Role.READER), clearance);
            try {
                office.awaitConnected();
                Message m = office.request(SearchQuery.text(TOKEN));
                assertThat(m).isInstanceOf(SearchResults.class);
                SearchResults r = (SearchResults) m;
                Set<UUID> got = new HashSet<>();
                r.hits().forEach(h -> got.add(h.documentId()));
                assertThat(got).as(p.name()).isEqualTo(expected(p));
                assertThat(r.total()).isEqualTo(expected(p).size());
            } finally {
                office.close();
            }
        }
    }

    @Test
    void a_change_of_clearance_takes_effect_on_the_next_request_and_every_read_is_audited() {
        Person p = person("HQ-WAA", Classification.INTERNAL);
        StaffRepository staff = server.bean(StaffRepository.class);
        try {
            assertThat(ids(p.https().get("/api/search?q=" + TOKEN + "&size=50"))).isEqualTo(expected(p));
            staff.save(OrgCode.of("HQ-WAA"), p.staffId(), p.staffId(), EnumSet.of(Role.READER), Classification.PUBLIC);
            Person lowered = new Person(p.organization(), p.staffId(), true, Classification.PUBLIC, p.https());
            assertThat(ids(p.https().get("/api/search?q=" + TOKEN + "&size=50"))).isEqualTo(expected(lowered))
                    .isNotEqualTo(expected(p));
            Doc internalAllHq = docs.stream().filter(d -> d.classification() == Classification.INTERNAL
                    && d.scope() == SharingScope.ALL_HQ).findFirst().orElseThrow();
            assertThat(p.https().get("/api/documents/" + internalAllHq.id()).status()).isEqualTo(404);
            staff.deactivate(OrgCode.of("HQ-WAA"), p.staffId());
            assertThat(p.https().get("/api/search?q=" + TOKEN).status()).isEqualTo(403);
        } finally {
            staff.save(OrgCode.of("HQ-WAA"), p.staffId(), p.staffId(), EnumSet.of(Role.READER), Classification.INTERNAL);
        }
        String actor = "urn:pouch:staff:HQ-WAA:" + p.staffId();
        List<Map<String, Object>> audit = server.jdbc().queryForList(
                "SELECT action, subject, outcome, detail FROM audit_log WHERE actor = ? ORDER BY id", actor);
        assertThat(audit).anySatisfy(a -> {
            assertThat(a.get("action")).isEqualTo("SEARCH");
            assertThat((String) a.get("subject")).contains("q=" + TOKEN);
            assertThat(a.get("outcome")).isEqualTo("OK");
        });
        assertThat(audit).anySatisfy(a -> {
            assertThat(a.get("action")).isEqualTo("READ");
            assertThat(a.get("outcome")).isEqualTo("REFUSED");
            assertThat((String) a.get("detail")).startsWith("NOT_FOUND");
        });
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM audit_log WHERE action = 'READ' AND outcome = 'OK'"
                + " AND actor LIKE 'urn:pouch:staff:FR-EMB:%' AND detail LIKE 'attachment 0%'", Long.class)).isPositive();
    }

    private static Person person(String org, Classification clearance) {
        return people.stream().filter(p -> p.organization().equals(org) && p.clearance() == clearance).findFirst().orElseThrow();
    }

    private static Set<UUID> ids(Https.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Set<UUID> got = new HashSet<>();
        r.json().get("hits").forEach(h -> got.add(UUID.fromString(h.get("id").asText())));
        return got;
    }

    private static Set<UUID> ids(Connection c, String sql) throws SQLException {
        Set<UUID> got = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                got.add(rs.getObject(1, UUID.class));
            }
        }
        return got;
    }
}
