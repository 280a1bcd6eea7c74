package dev.pouch.server.submission;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.server.testing.Docx;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the archive reads from attachments: type by content, text for search — and that reading a
 * hostile file is bounded, so it costs the server a little time and nothing more.
 */
class AttachmentInspectionIT {

    private static TestServer server;
    private static TestOffice hq;

    @BeforeAll
    static void connect() {
        server = TestServer.shared();
        hq = server.office("HQ-INT").awaitConnected();
        server.office("AT-EMB").awaitConnected();
    }

    @AfterAll
    static void disconnect() {
        server.closeOffices();
    }

    private static SubmitAck send(String name, String mediaType, byte[] content) {
        DocumentHeader h = Letters.header("HQ-INT", List.of("AT-EMB"), Precedence.ROUTINE, Classification.INTERNAL)
                .attachment(new Attachment(name, mediaType, content.length)).build();
        return hq.send(h, content);
    }

    private static Map<String, Object> stored(UUID id) {
        Map<String, Object> row = server.jdbc().queryForMap(
                "SELECT t.body, t.truncated, a.detected_type FROM document_text t JOIN attachment a ON a.document_id = t.document_id"
                        + " WHERE t.document_id = ?", id);
        return row;
    }

    @Test
    void a_word_document_is_typed_by_its_content_and_its_chinese_text_extracted() {
        byte[] docx = Docx.of("关于欧洲电信市场调研的通知\n请各驻外经商机构于月底前报送调研报告。\nEuropean telecom market survey");
        SubmitAck ack = send("通知.docx", Docx.MEDIA_TYPE, docx);
        Map<String, Object> row = stored(ack.documentId());
        assertThat(row.get("detected_type")).isEqualTo(Docx.MEDIA_TYPE);
        assertThat((String) row.get("body")).contains("欧洲电信市场调研").contains("European telecom market survey");
        assertThat(row.get("truncated")).isEqualTo(false);
    }

    @Test
    void a_decompression_bomb_is_accepted_without_its_text_and_the_server_carries_on() {
        byte[] bomb = Docx.bomb(512);
        assertThat(bomb.length).isLessThan(4 << 20);
        long start = System.nanoTime();
        SubmitAck ack = send("bericht.docx", Docx.MEDIA_TYPE, bomb);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isLessThan(Duration.ofSeconds(30)); // inspection timeout 20 s, plus transfer
        // Read as a stream up to the text limit, not built in memory (which took gigabytes of heap
        // and ran into the inspection timeout with no text at all).
        Map<String, Object> row = stored(ack.documentId());
        assertThat(row.get("truncated")).isEqualTo(true);
        assertThat(((String) row.get("body")).length()).isBetween(1_000_000, 2_000_001);

        // The server is still itself: the next ordinary document goes through promptly.
        long next = System.nanoTime();
        send("next.txt", "text/plain", "ordinary".getBytes(StandardCharsets.UTF_8));
        assertThat(Duration.ofNanos(System.nanoTime() - next)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void text_beyond_the_extraction_limit_is_cut_and_marked_so() {
        byte[] text = "Marché des télécommunications — 电信市场 ".repeat(80_000).getBytes(StandardCharsets.UTF_8);
        SubmitAck ack = send("long.txt", "text/plain", text);
        Map<String, Object> row = stored(ack.documentId());
        assertThat(row.get("truncated")).isEqualTo(true);
        assertThat(((String) row.get("body")).length()).isBetween(1_000_000, 2_000_001);
    }

    @Test
    void plain_text_in_utf8_or_in_a_legacy_chinese_encoding_is_indexed_as_text() {
        String body = "关于欧洲电信市场调研的通知。请各驻外经商机构于本月底前报送所在国电信市场调研报告，包括运营商、监管政策和市场规模。\n";
        SubmitAck utf8 = send("通知.txt", "text/plain", body.repeat(20).getBytes(StandardCharsets.UTF_8));
        assertThat((String) stored(utf8.documentId()).get("body")).contains("欧洲电信市场调研").contains("监管政策");

        // Not UTF-8: the bytes go to Tika, which recognises the charset.
        SubmitAck gb = send("通知-gb.txt", "text/plain", body.repeat(20).getBytes(java.nio.charset.Charset.forName("GB18030")));
        Map<String, Object> row = stored(gb.documentId());
        assertThat(row.get("detected_type")).isEqualTo("text/plain");
        assertThat((String) row.get("body")).contains("欧洲电信市场调研").contains("监管政策");
    }
}
