package dev.pouch.server.search;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long Chinese phrases found through their shingles (V9), on a real server whose
 * {@code max-matches} is 100: over three years of documents, a phrase in 288 of them, and decoys
 * that hold every 4-character piece of the phrase but not the phrase. The answer must be exactly
 * what reading every text would give — the newest 100 holders, no decoy — for a common phrase, a
 * rarer one, with a date filter, and for a text too long to have shingles.
 */
class SearchShinglesIT {

    private static final String PHRASE = "经贸合作论坛";
    private static final int MONTHS = 36;
    private static final ZonedDateTime FIRST = ZonedDateTime.of(2023, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private static Path dir;
    private static TestServer server;
    private static JdbcTemplate owner;
    private static SearchService search;
    private static SearchIndex index;
    private static TransactionTemplate tx;
    private static Staff reader;
    private static UUID blob;
    /** Documents holding the phrase, by time accepted. */
    private static final Map<UUID, Instant> holders = new HashMap<>();
    private static final List<UUID> decoys = new ArrayList<>();

    @BeforeAll
    static void archive() {
        dir = TestServer.tempDir();
        server = TestServer.start(dir, "--pouch.search.max-matches=100");
        owner = server.ownerJdbc();
        search = server.bean(SearchService.class);
        index = server.bean(SearchIndex.class);
        tx = server.bean(TransactionTemplate.class);
        reader = server.bean(StaffRepository.class).save(OrgCode.of("HQ-EUR"), "shingles.reader", "reader",
                EnumSet.of(Role.READER), Classification.INTERNAL);
        blob = UUID.randomUUID();
        owner.update("INSERT INTO blob (id, size, sha256, complete) VALUES (?, 1, '\\x00', true)", blob);
        int n = 0;
        for (int m = 0; m < MONTHS; m++) {
            for (int k = 0; k < 8; k++) {
                Instant at = FIRST.plusMonths(m).plusDays(1 + 3 * k).plusHours(k).toInstant();
                holders.put(add(n++, at, "关于第" + "一二三四五六七八".charAt(k) + "届" + PHRASE + "的通知", "请各单位派员出席" + PHRASE + "。"), at);
            }
            for (int k = 0; k < 4; k++) {
                // Every 4-character piece of the phrase (经贸合作, 贸合作论, 合作论坛), never the phrase.
                Instant at = FIRST.plusMonths(m).plusDays(2 + 5 * k).toInstant();
                decoys.add(add(n++, at, "关于经贸合作论述的通知", "经贸合作论述汇编，另见合作论坛纪要。"));
            }
            add(n++, FIRST.plusMonths(m).plusDays(20).toInstant(), "市场情况", "本月市场平稳。");
        }
    }

    private static UUID add(int n, Instant at, String subject, String text) {
        UUID id = UUID.randomUUID();
        String number = "商欧函〔" + at.atOffset(ZoneOffset.UTC).getYear() + "〕" + n + "号";
        owner.update("""
                INSERT INTO document (id, number, issuer, year, type, subject, classification, precedence, sharing_scope,
                    submitted_by, accepted_at, claimed_signing_time, signer_fingerprint, main_blob, main_sha256, content_size,
                    content_type_oid, signed_content_identifier, signature_value, signed_attributes)
                VALUES (?, ?, 'HQ-EUR', ?, 'NOTICE', ?, 'PUBLIC', 'ROUTINE', 'EXCHANGE', 'urn:pouch:staff:HQ-EUR:test', ?, ?, '00', ?,
                    '\\x00', 1, '1.2.840.113549.1.7.1', '\\x00', '\\x00', '\\x00')""",
                id, number, at.atOffset(ZoneOffset.UTC).getYear(), subject, Timestamp.from(at), Timestamp.from(at), blob);
        tx.executeWithoutResult(s -> index.add(new SearchIndex.Entry(id, number, "HQ-EUR", "NOTICE", "PUBLIC", "ROUTINE", "EXCHANGE",
                List.of("FR-EMB"), at, subject, text)));
        return id;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        TestServer.deleteTree(dir);
    }

    private static SearchResult find(String q, Map<String, String> filters) {
        Map<String, String[]> p = new HashMap<>();
        p.put("q", new String[] {q});
        p.put("sort", new String[] {"date"});
        p.put("size", new String[] {"200"});
        filters.forEach((k, v) -> p.put(k, new String[] {v}));
        return search.search(reader, SearchRequest.parse(p));
    }

    private static List<UUID> ids(SearchResult r) {
        return r.hits().stream().map(SearchResult.Hit::documentId).toList();
    }

    /** The newest {@code n} holders accepted before {@code before}: what reading every text gives. */
    private static List<UUID> newestHolders(int n, Instant before) {
        return holders.entrySet().stream().filter(e -> e.getValue().isBefore(before))
                .sorted(Map.Entry.<UUID, Instant>comparingByValue(Comparator.reverseOrder())).limit(n).map(Map.Entry::getKey).toList();
    }

    @Test
    void the_newest_holders_and_no_decoy() {
        SearchResult r = find(PHRASE, Map.of());
        assertThat(r.exact()).isFalse();
        assertThat(r.total()).isEqualTo(100);
        assertThat(ids(r)).isEqualTo(newestHolders(100, Instant.MAX)).doesNotContainAnyElementsOf(decoys);
        // A 4-character term is its own shingle: the decoys hold it too.
        assertThat(find("经贸合作", Map.of()).hits()).extracting(SearchResult.Hit::documentId).containsAnyElementsOf(decoys);
    }

    @Test
    void a_date_filter_limits_the_holders() {
        Instant to = FIRST.plusMonths(20).toInstant();
        SearchResult r = find(PHRASE, Map.of("to", FIRST.plusMonths(20).minusDays(1).toLocalDate().toString()));
        assertThat(ids(r)).isEqualTo(newestHolders(100, to));
        // Fewer than max-matches in range: the count is exact.
        SearchResult few = find(PHRASE, Map.of("from", FIRST.toLocalDate().toString(),
                "to", FIRST.plusMonths(3).minusDays(1).toLocalDate().toString()));
        assertThat(few.exact()).isTrue();
        assertThat(ids(few)).isEqualTo(newestHolders(24, FIRST.plusMonths(3).toInstant()));
    }

    @Test
    void a_rarer_phrase_is_found_back_to_the_oldest_month() {
        UUID rare = holders.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String subject = owner.queryForObject("SELECT subject FROM document WHERE id = ?", String.class, rare);
        // 第一届 is in one holder a month: 36 over three years, all found.
        SearchResult r = find("第一届" + PHRASE, Map.of());
        assertThat(subject).contains("第一届" + PHRASE);
        assertThat(r.exact()).isTrue();
        assertThat(r.total()).isEqualTo(MONTHS);
        assertThat(ids(r)).contains(rare);
    }

    @Test
    void a_text_too_long_for_shingles_is_still_found_by_its_text() {
        // Distinct Han characters, so every 4-character piece is new: more than 50,000 of them.
        int[] han = IntStream.concat(IntStream.rangeClosed(0x4E00, 0x9FFF), IntStream.rangeClosed(0x20000, 0x2A6DF))
                .limit(50_010).toArray();
        Instant at = FIRST.plusMonths(MONTHS).plusDays(1).toInstant();
        UUID longOne = add(9_999, at, "长文", new String(han, 0, han.length) + "。" + PHRASE + "。");
        UUID longDecoy = add(9_998, at.minusSeconds(60), "长文", new String(han, 0, han.length) + "。经贸合作论述，合作论坛。");
        try {
            assertThat(owner.queryForObject("SELECT search_shingles(content) IS NULL FROM search_entry"
                    + " WHERE document_id = ?", Boolean.class, longOne)).isTrue();
            List<UUID> expected = new ArrayList<>(List.of(longOne));
            expected.addAll(newestHolders(99, Instant.MAX));
            assertThat(ids(find(PHRASE, Map.of()))).isEqualTo(expected);
            // A 4-character term is decided by its shingle, except in a text without shingles: that is read.
            assertThat(ids(find("经贸合作", Map.of())).subList(0, 2)).containsExactly(longOne, longDecoy);
            assertThat(find("贸易往来", Map.of()).total()).isZero();
        } finally {
            for (UUID id : List.of(longOne, longDecoy)) {
                owner.update("DELETE FROM search_entry WHERE document_id = ?", id);
                owner.update("DELETE FROM document WHERE id = ?", id);
            }
        }
    }

    @Test
    void text_and_phrase_give_the_same_shingles() {
        assertThat(owner.queryForObject("SELECT search_shingles('关于电信市场 the 准入谈判进展 电信 市场化 𠀀𠀁𠀂𠀃')::text",
                String.class)).isEqualTo("'于电信市' '入谈判进' '关于电信' '准入谈判' '电信市场' '谈判进展' '𠀀𠀁𠀂𠀃'");
        assertThat(owner.queryForObject("SELECT search_shingles('no Chinese at all')::text", String.class)).isEmpty();
        // A run of 1,000 distinct characters: 997 shingles, and the phrase's are the text's.
        assertThat(owner.queryForMap("""
                SELECT array_length(tsvector_to_array(search_shingles(s)), 1) AS n,
                    search_shingles('前言' || s || '。') @@ search_phrase_shingles(ARRAY['%' || s || '%']) AS found,
                    search_shingles('前言' || s || '。') @@ search_phrase_shingles(ARRAY['%' || s || '一%']) AS one_more
                FROM (SELECT string_agg(chr(x), '') AS s FROM generate_series(20000, 20999) x) y"""))
                .containsEntry("n", 997).containsEntry("found", true).containsEntry("one_more", false);
        assertThat(owner.queryForObject("SELECT search_phrase_shingles(ARRAY['%关于电信市场%', '%wto 准入谈判%', '%电信%'])::text",
                String.class).split(" & ")).containsExactlyInAnyOrder("'于电信市'", "'关于电信'", "'准入谈判'", "'电信市场'");
        assertThat(owner.queryForObject("SELECT search_phrase_shingles(ARRAY['%trade talks%', '%经贸%']) IS NULL", Boolean.class))
                .isTrue();
    }
}
