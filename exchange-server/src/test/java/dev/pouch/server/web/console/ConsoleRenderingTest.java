package dev.pouch.server.web.console;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the console writes that a browser or a shell interprets: the chart's SVG and the prepared command. */
class ConsoleRenderingTest {

    @Test
    void chartLabels_areEscaped_andBarsScaleToTheLargestValue() {
        String svg = BarChart.svg(List.of(new BarChart.Bar("<script>alert(1)</script>", 10, 5), new BarChart.Bar("欧洲司", 0, 0)),
                "2026 & <more>");
        assertThat(svg).doesNotContain("<script>").contains("&lt;script&gt;").contains("2026 &amp; &lt;more&gt;").contains("欧洲司");
        assertThat(svg).contains("class=\"bar-sent\" x=\"301\" y=\"16\" width=\"520\"").contains("width=\"260\"");
        assertThat(svg).doesNotContain("style=");
    }

    @Test
    void longChartLabels_areCut() {
        String name = "Economic and Commercial Office, Embassy in the United Kingdom of Great Britain";
        assertThat(BarChart.svg(List.of(new BarChart.Bar(name, 1, 1)), "t"))
                .contains(name.substring(0, BarChart.MAX_LABEL - 1) + "…").doesNotContain(name);
    }

    @Test
    void commandWords_areQuotedForTheShell_whenTheyAreNotPlain() {
        assertThat(SendController.shellQuote("FR-EMB,region:EUROPE")).isEqualTo("FR-EMB,region:EUROPE");
        assertThat(SendController.shellQuote("商欧函〔2026〕12号")).isEqualTo("'商欧函〔2026〕12号'");
        assertThat(SendController.shellQuote("it's $(rm -rf ~)")).isEqualTo("'it'\\''s $(rm -rf ~)'");
    }
}
