package dev.pouch.client;

import dev.pouch.protocol.message.Notice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Notices kept by the client: read back exactly (Chinese included), each kept once. */
class LocalStoreNoticeTest {

    @TempDir
    Path dir;

    @Test
    void a_notice_is_kept_once_and_read_back_exactly() throws Exception {
        LocalStore store = new LocalStore(dir);
        Instant deadline = Instant.parse("2026-12-15T10:00:00Z");
        Notice reminder = new Notice(UUID.randomUUID(), Notice.Kind.SURVEY_REMINDER, UUID.randomUUID(), "商欧函〔2026〕12号",
                "关于欧洲电信市场的调研函", "HQ-EUR", "请于 2026-12-15 11:00 CET (Europe/Berlin) 前报送调研报告。Please send your report.",
                Optional.of(deadline), Instant.parse("2026-11-23T08:44:03Z"));
        Notice withdrawn = new Notice(UUID.randomUUID(), Notice.Kind.SURVEY_WITHDRAWN, reminder.documentId(), "商欧函〔2026〕12号",
                "关于欧洲电信市场的调研函", "HQ-EUR", "调研已撤回。\nwithdrawn = plans changed: a\\b", Optional.empty(),
                Instant.parse("2026-11-24T08:00:00Z"));

        assertThat(store.putNotice(reminder)).isTrue();
        assertThat(store.putNotice(reminder)).as("delivered again after a lost acknowledgement").isFalse();
        assertThat(store.putNotice(withdrawn)).isTrue();

        assertThat(new LocalStore(dir).notices()).containsExactly(withdrawn, reminder);
        try (var files = Files.list(dir.resolve("notices"))) {
            assertThat(files.map(f -> f.getFileName().toString())).hasSize(2).noneMatch(n -> n.startsWith("."));
        }
    }
}
