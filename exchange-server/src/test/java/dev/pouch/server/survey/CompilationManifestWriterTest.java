package dev.pouch.server.survey;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CompilationManifestWriterTest {

    @Test
    void csv_hasOneRowPerTargetOffice_withStatesTimesAndChineseNames() throws IOException {
        String csv = csv(CompilationFixtures.manifest(false));
        assertThat(csv).startsWith("\uFEFF");
        List<List<String>> rows = parse(csv.substring(1));
        assertThat(rows.getFirst()).isEqualTo(CompilationManifestWriter.CSV_COLUMNS);
        assertThat(rows).hasSize(6);
        List<String> fr = rows.get(3);
        assertThat(fr).hasSize(CompilationManifestWriter.CSV_COLUMNS.size());
        assertThat(column(fr, "office")).isEqualTo("FR-EMB");
        assertThat(column(fr, "name_zh")).isEqualTo("驻法国使馆经商处");
        assertThat(column(fr, "state")).isEqualTo("RESPONDED_ON_TIME");
        assertThat(column(fr, "responded_at_utc")).isEqualTo("2026-11-18T15:30:00Z");
        assertThat(column(fr, "responded_at_local")).isEqualTo("2026-11-18T16:30:00+01:00");
        assertThat(column(fr, "on_time")).isEqualTo("true");
        assertThat(column(fr, "responder_name")).isEqualTo("李明, \"Li\" Ming");
        assertThat(column(fr, "signature_status")).isEqualTo("VALID");
        assertThat(column(fr, "survey_number")).isEqualTo("商欧函〔2026〕12号");
        assertThat(column(rows.get(4), "state")).isEqualTo("RESPONDED_LATE");
        assertThat(column(rows.get(4), "on_time")).isEqualTo("false");
        assertThat(column(rows.get(5), "state")).isEqualTo("NO_RESPONSE");
        assertThat(column(rows.get(5), "delivery_state")).isEqualTo("QUEUED");
        assertThat(column(rows.get(5), "on_time")).isEmpty();
        assertThat(column(rows.get(5), "responses")).isEqualTo("0");
    }

    @Test
    void csvCells_withCommasQuotesOrLineBreaksAreQuoted_andFormulasAreDefused() throws IOException {
        assertThat(CompilationManifestWriter.csvCell("李明, \"Li\" Ming")).isEqualTo("\"李明, \"\"Li\"\" Ming\"");
        assertThat(CompilationManifestWriter.csvCell("一\n二")).isEqualTo("\"一\n二\"");
        assertThat(CompilationManifestWriter.csvCell("驻法国使馆经商处")).isEqualTo("驻法国使馆经商处");
        assertThat(CompilationManifestWriter.csvCell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(column(parse(csv(CompilationFixtures.manifest(false)).substring(1)).get(1), "document_number"))
                .isEqualTo("'=德经商〔2026〕3号");
    }

    @Test
    void json_carriesTheSurveyTheCountsAndEveryResponseWithItsEvidence() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompilationManifestWriter.writeJson(CompilationFixtures.manifest(true), out);
        JsonNode json = JsonMapper.builder().build().readTree(out.toByteArray());
        assertThat(json.path("survey").path("number").asString()).isEqualTo("商欧函〔2026〕12号");
        assertThat(json.path("survey").path("state").asString()).isEqualTo("WITHDRAWN");
        assertThat(json.path("classification").asString()).isEqualTo("INTERNAL");
        assertThat(json.path("counts").path("targets").asInt()).isEqualTo(5);
        assertThat(json.path("counts").path("respondedOnTime").asInt()).isEqualTo(2);
        assertThat(json.path("counts").path("respondedLate").asInt()).isEqualTo(1);
        assertThat(json.path("counts").path("noResponse").asInt()).isEqualTo(2);
        assertThat(json.path("counts").path("responseRate").asDouble()).isEqualTo(0.6);
        JsonNode fr = json.path("offices").get(2);
        assertThat(fr.path("office").asString()).isEqualTo("FR-EMB");
        assertThat(fr.path("responseId").asString()).isEqualTo(CompilationFixtures.FR_RESPONSE.toString());
        assertThat(fr.path("responses").get(0).path("attachments").get(0).path("path").asString())
                .isEqualTo("attachments/FR-EMB/报告.docx");
        assertThat(fr.path("responses").get(0).path("original").asString()).startsWith("originals/FR-EMB/");
        assertThat(json.path("offices").get(4).path("responseId").isNull()).isTrue();
        assertThat(json.path("offices").get(4).path("deliveryState").asString()).isEqualTo("QUEUED");
    }

    private static String csv(CompilationManifest m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompilationManifestWriter.writeCsv(m, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String column(List<String> row, String name) {
        return row.get(CompilationManifestWriter.CSV_COLUMNS.indexOf(name));
    }

    /** An RFC 4180 reader, independent of the writer. */
    static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        return rows;
    }
}
