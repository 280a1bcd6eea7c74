package dev.pouch.server.survey;

import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The report read back with POI: the counts in the table and one section per responding office. */
class CompilationReportWriterTest {

    @Test
    void report_hasTheResponseRateTable_aSectionPerRespondingOffice_andListsTheSilentOnes() throws IOException {
        try (XWPFDocument doc = write(CompilationFixtures.manifest(false))) {
            List<XWPFTable> tables = doc.getTables();
            assertThat(tables).hasSize(2);
            assertThat(cells(tables.get(0), 0)).isEqualTo(CompilationReportWriter.RATE_COLUMNS);
            assertThat(cells(tables.get(0), 1)).containsExactly("5", "2", "1", "2", "60.0%");
            assertThat(tables.get(1).getRows()).hasSize(3);
            assertThat(cells(tables.get(1), 1)).containsExactly("ES-EMB",
                    "驻西班牙使馆经商处 Economic and Commercial Office, Embassy in Spain", "EUROPE", "SIGNED_FOR");
            assertThat(cells(tables.get(1), 2).getFirst()).isEqualTo("PT-EMB");

            String text = text(doc);
            assertThat(text).contains("商欧函〔2026〕12号", "关于欧洲电信市场的调研函");
            List<String> headings = doc.getParagraphs().stream().map(XWPFParagraph::getText)
                    .filter(t -> t.matches("^[A-Z]{2}-[A-Z0-9]+ .*")).toList();
            assertThat(headings).hasSize(3);
            assertThat(headings.get(0)).startsWith("DE-EMB 驻德国使馆经商处");
            assertThat(headings.get(1)).startsWith("FR-EMB 驻法国使馆经商处");
            assertThat(headings.get(2)).startsWith("IT-EMB 驻意大利使馆经商处");
            // FR's text in full, no excerpt note; DE has no text, so its attachment is named; IT's was cut.
            assertThat(text).contains("法国电信市场概况：四家运营商。", "French market: four operators, \"Orange\" leads.");
            assertThat(section(text, "FR-EMB", "IT-EMB")).doesNotContain("Excerpt");
            assertThat(section(text, "DE-EMB", "FR-EMB")).contains("No text could be extracted", "scan.pdf (application/pdf, 120000 bytes)");
            assertThat(section(text, "IT-EMB", "未报送单位")).contains("逾期 Late",
                    "Excerpt: the first 3000 of 9000 characters", "relazione.txt");
            assertThat(text).doesNotContain("withdrawn");
        }
    }

    @Test
    void aWithdrawnSurvey_saysSoAndIsStillCompiled() throws IOException {
        try (XWPFDocument doc = write(CompilationFixtures.manifest(true))) {
            assertThat(text(doc)).contains("本调研已撤回 This survey was withdrawn", "情况有变 — superseded",
                    "urn:pouch:staff:HQ-EUR:wang.fang");
            assertThat(cells(doc.getTables().get(0), 1)).containsExactly("5", "2", "1", "2", "60.0%");
        }
    }

    @Test
    void charactersXmlCannotCarry_areDropped() {
        assertThat(CompilationReportWriter.clean("a\u0000b\u0007c\td\r\n😀")).isEqualTo("abc\td\n\n😀");
    }

    private static XWPFDocument write(CompilationManifest m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompilationReportWriter.write(m, out);
        return new XWPFDocument(new ByteArrayInputStream(out.toByteArray()));
    }

    private static List<String> cells(XWPFTable table, int row) {
        return table.getRow(row).getTableCells().stream().map(XWPFTableCell::getText).toList();
    }

    private static String text(XWPFDocument doc) {
        return String.join("\n", doc.getParagraphs().stream().map(XWPFParagraph::getText).toList());
    }

    private static String section(String text, String from, String to) {
        int start = text.indexOf("\n" + from + " ");
        return text.substring(start, text.indexOf(to, start + 1));
    }
}
