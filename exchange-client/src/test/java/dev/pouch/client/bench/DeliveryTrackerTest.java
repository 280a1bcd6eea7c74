package dev.pouch.client.bench;

import dev.pouch.client.LocalStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's correctness check: what was sent against what each office stored, and its receipts. */
class DeliveryTrackerTest {

    private static final String PREFIX = "BENCH-TEST";

    @TempDir
    Path dir;

    private final DeliveryTracker tracker = new DeliveryTracker(PREFIX);
    private final AtomicBoolean receipts = new AtomicBoolean(true);

    @AfterEach
    void close() {
        tracker.close();
    }

    @Test
    void every_document_stored_once_by_each_addressed_office_with_its_receipt_passes() throws Exception {
        var a = send("FR-EMB", "DE-EMB");
        var b = send("FR-EMB");
        arrive("FR-EMB", a);
        arrive("DE-EMB", a);
        arrive("FR-EMB", b);

        assertThat(tracker.awaitDone(List.of(a.id(), b.id()), Duration.ofSeconds(5))).isTrue();
        Check c = tracker.check(Map.of("FR-EMB", List.of(a.id(), b.id()), "DE-EMB", List.of(a.id())));
        assertThat(c.passed()).as(c.problems().toString()).isTrue();
        assertThat(c.expectedDeliveries()).isEqualTo(3);
        assertThat(c.stored()).isEqualTo(3);
        assertThat(c.receipted()).isEqualTo(3);
        assertThat(c.onDisk()).isEqualTo(3);
        assertThat(tracker.doneLatencies(List.of(a.id(), b.id()))).hasSize(2);
    }

    @Test
    void a_document_stored_twice_fails_as_a_duplicate() throws Exception {
        var a = send("FR-EMB");
        arrive("FR-EMB", a);
        arrive("FR-EMB", a);

        Check c = tracker.check(Map.of("FR-EMB", List.of(a.id())));
        assertThat(c.duplicates()).isEqualTo(1);
        assertThat(c.passed()).isFalse();
    }

    @Test
    void a_document_stored_by_an_office_it_was_not_addressed_to_fails_as_misrouted() throws Exception {
        var a = send("FR-EMB");
        arrive("FR-EMB", a);
        arrive("DE-EMB", a);

        Check c = tracker.check(Map.of("FR-EMB", List.of(a.id()), "DE-EMB", List.of(a.id())));
        assertThat(c.misrouted()).isGreaterThanOrEqualTo(1);
        assertThat(c.passed()).isFalse();
        assertThat(c.problems()).anyMatch(p -> p.contains("DE-EMB stored " + a.id() + ", which was not addressed to it"));
    }

    @Test
    void an_office_that_never_stored_its_document_fails_as_missing() throws Exception {
        var a = send("FR-EMB", "DE-EMB");
        arrive("FR-EMB", a);

        assertThat(tracker.awaitDone(List.of(a.id()), Duration.ofMillis(200))).isFalse();
        Check c = tracker.check(Map.of("FR-EMB", List.of(a.id()), "DE-EMB", List.of()));
        assertThat(c.missing()).isEqualTo(1);
        assertThat(c.passed()).isFalse();
        assertThat(c.problems()).contains("DE-EMB never stored " + a.id());
    }

    @Test
    void a_receipt_the_exchange_never_accepted_fails_the_check() throws Exception {
        receipts.set(false);
        var a = send("FR-EMB");
        arrive("FR-EMB", a);

        assertThat(tracker.awaitDone(List.of(a.id()), Duration.ofMillis(200))).isFalse();
        Check c = tracker.check(Map.of("FR-EMB", List.of(a.id())));
        assertThat(c.missingReceipts()).isEqualTo(1);
        assertThat(c.passed()).isFalse();
    }

    @Test
    void content_that_differs_from_what_was_sent_fails_as_altered() throws Exception {
        var a = send("FR-EMB");
        Files.writeString(a.file(), "something else", StandardCharsets.UTF_8);
        arrive("FR-EMB", a);

        Check c = tracker.check(Map.of("FR-EMB", List.of(a.id())));
        assertThat(c.corrupted()).isEqualTo(1);
        assertThat(c.passed()).isFalse();
    }

    @Test
    void an_inbox_holding_a_document_its_client_never_reported_fails_the_check() throws Exception {
        var a = send("FR-EMB");
        arrive("FR-EMB", a);

        Check c = tracker.check(Map.of("FR-EMB", List.of(a.id()), "DE-EMB", List.of(a.id())));
        assertThat(c.onDisk()).isEqualTo(2);
        assertThat(c.passed()).isFalse();
    }

    @Test
    void documents_of_other_runs_are_counted_but_do_not_fail_the_check() throws Exception {
        var a = send("FR-EMB");
        arrive("FR-EMB", a);
        tracker.arrived("FR-EMB", entry(UUID.randomUUID(), "外交部〔2026〕1号", a.file()), () -> true);

        assertThat(tracker.awaitDone(List.of(a.id()), Duration.ofSeconds(5))).isTrue();
        Check c = tracker.check(Map.of("FR-EMB", List.of(a.id())));
        assertThat(c.foreign()).isEqualTo(1);
        assertThat(c.passed()).as(c.problems().toString()).isTrue();
    }

    @Test
    void a_failed_send_fails_the_check_and_is_not_waited_for() throws Exception {
        var a = send("FR-EMB");
        tracker.sendFailed(a.id(), new IllegalStateException("refused"));

        assertThat(tracker.awaitDone(List.of(a.id()), Duration.ofSeconds(5))).isTrue();
        Check c = tracker.check(Map.of("FR-EMB", List.of()));
        assertThat(c.failures()).isEqualTo(1);
        assertThat(c.passed()).isFalse();
    }

    private record Sent(UUID id, String number, Path file) {
    }

    private Sent send(String... offices) throws Exception {
        UUID id = UUID.randomUUID();
        String number = PREFIX + "-" + id;
        Path file = dir.resolve(id + ".txt");
        byte[] content = ("notice " + id).getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);
        tracker.expect(new DeliveryTracker.Expected(id, number, "HQ-GO", Set.of(offices),
                MessageDigest.getInstance("SHA-256").digest(content), content.length));
        tracker.acknowledged(id);
        return new Sent(id, number, file);
    }

    private void arrive(String office, Sent s) {
        tracker.arrived(office, entry(s.id(), s.number(), s.file()), receipts::get);
    }

    private static LocalStore.Entry entry(UUID id, String number, Path file) {
        return new LocalStore.Entry(id, number, "NOTICE", "subject", "HQ-GO", "INTERNAL", "ROUTINE", Instant.now(), "CN=HQ-GO",
                file.getParent(), List.of(file));
    }
}
