package dev.pouch.server.search;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.SharingScope;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Search terms, phrases, document-number keys, snippets and the access rule, without a database. */
class SearchTextTest {

    @Test
    void cjk_runs_become_overlapping_bigrams_and_other_text_is_kept() {
        assertThat(SearchText.bigrams("电信市场")).isEqualTo(" 电信 信市 市场 ");
        assertThat(SearchText.bigrams("法国电信 market")).isEqualTo(" 法国 国电 电信  market");
        assertThat(SearchText.bigrams("单")).isEqualTo(" 单 ");
        assertThat(SearchText.bigrams("économie")).isEqualTo("économie");
    }

    @Test
    void long_runs_are_phrases_and_lone_characters_are_noticed() {
        assertThat(SearchText.longCjkRuns("电信 电信市场 x 准入谈判")).containsExactly("电信市场", "准入谈判");
        assertThat(SearchText.hasLoneCjkCharacter("电 market")).isTrue();
        assertThat(SearchText.hasLoneCjkCharacter("电信 market")).isFalse();
    }

    @Test
    void without_its_long_runs_a_query_keeps_only_what_the_phrases_do_not_cover() {
        assertThat(SearchText.withoutLongCjkRuns("经贸合作")).isEmpty();
        assertThat(SearchText.withoutLongCjkRuns("电信 电信市场 market 准入谈判")).isEqualTo("电信   market");
        assertThat(SearchText.withoutLongCjkRuns("法国电信market")).isEqualTo("market");
        assertThat(SearchText.withoutLongCjkRuns("trade 市场")).isEqualTo("trade 市场");
    }

    @Test
    void a_number_key_ignores_spaces_case_and_the_kind_of_brackets() {
        String key = SearchText.numberKey("商欧函〔2026〕12号");
        assertThat(SearchText.numberKey("商欧函[2026]12号")).isEqualTo(key);
        assertThat(SearchText.numberKey(" 商欧函（2026） 12号 ")).isEqualTo(key);
        assertThat(SearchText.numberKey("HQ-EUR〔2026〕1号")).isEqualTo(SearchText.numberKey("hq-eur[2026]1号"));
        assertThat(SearchText.numberKey("商欧函〔2026〕13号")).isNotEqualTo(key);
    }

    @Test
    void like_patterns_escape_their_wildcards() {
        assertThat(SearchText.containsPattern("50%_a\\b")).isEqualTo("%50\\%\\_a\\\\b%");
    }

    @Test
    void snippets_escape_everything_and_mark_what_was_found() {
        assertThat(Snippets.of("<b>Trade</b> & 电信市场\n报告", true, false, List.of("电信市场", "trade")))
                .isEqualTo("…&lt;b&gt;<mark>Trade</mark>&lt;/b&gt; &amp; <mark>电信市场</mark> 报告");
        assertThat(Snippets.of("\"x\" 'y'", false, true, List.of())).isEqualTo("&quot;x&quot; &#39;y&#39;…");
    }

    @Test
    void a_request_knows_its_words_phrases_and_highlights() {
        SearchRequest r = SearchRequest.parse(Map.of("q", new String[] {"电信市场 \"market access\" trade"}));
        assertThat(r.words()).isEqualTo("电信市场  market access  trade");
        assertThat(r.phrases()).containsExactly("market access", "电信市场");
        assertThat(r.highlights()).startsWith("market access").contains("电信市场", "trade");
        assertThat(r.sort()).isEqualTo(SearchRequest.Sort.RELEVANCE);
        assertThat(r.page()).isEqualTo(1);
        assertThat(r.size()).isEqualTo(SearchRequest.DEFAULT_SIZE);
    }

    @Test
    void a_bad_request_is_refused_with_invalid_request_and_a_sentence() {
        assertThatThrownBy(() -> SearchRequest.parse(Map.of("colour", new String[] {"red"})))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.detail()).contains("unknown parameter colour");
                });
        assertThatThrownBy(() -> SearchRequest.parse(Map.of("q", new String[] {"电"})))
                .hasMessageContaining("at least two adjacent Chinese characters");
        assertThatThrownBy(() -> SearchRequest.parse(Map.of("from", new String[] {"2026-12-01"}, "to", new String[] {"2026-11-01"})))
                .hasMessageContaining("must be before to");
    }

    @Test
    void the_rule_in_the_service() {
        Viewer office = new Viewer("a", OrgCode.of("DE-EMB"), false, Classification.INTERNAL);
        Viewer hqPublic = new Viewer("b", OrgCode.of("HQ-WAA"), true, Classification.PUBLIC);
        Set<String> parties = Set.of("HQ-EUR", "FR-EMB");
        assertThat(office.maySee(parties, Classification.INTERNAL, SharingScope.EXCHANGE)).isTrue();
        assertThat(office.maySee(parties, Classification.INTERNAL, SharingScope.ALL_HQ)).isFalse();
        assertThat(office.maySee(Set.of("DE-EMB"), Classification.INTERNAL, SharingScope.RECIPIENTS)).isTrue();
        assertThat(hqPublic.maySee(parties, Classification.PUBLIC, SharingScope.ALL_HQ)).isTrue();
        assertThat(hqPublic.maySee(parties, Classification.INTERNAL, SharingScope.ALL_HQ)).isFalse();
        assertThat(hqPublic.maySee(parties, Classification.PUBLIC, SharingScope.RECIPIENTS)).isFalse();
        assertThat(Optional.of(office).map(Viewer::hq)).contains(false);
    }
}
