package dev.pouch.client.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code pouch search} shows the exchange's HTML snippets on a terminal. */
class SearchCommandTest {

    @Test
    void marks_become_brackets_and_escaped_text_is_shown_as_written() {
        assertThat(SearchCommand.text("…法国<mark>电信市场</mark>规模 &lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot; &#39;z&#39;…"))
                .isEqualTo("…法国【电信市场】规模 <b>x</b> & \"y\" 'z'…");
    }

    @Test
    void an_escaped_entity_is_decoded_once_only() {
        assertThat(SearchCommand.text("&amp;lt;mark&amp;gt;")).isEqualTo("&lt;mark&gt;");
    }
}
