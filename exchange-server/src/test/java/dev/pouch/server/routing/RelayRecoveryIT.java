package dev.pouch.server.routing;

import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay after a crash between the broker's commit and marking the outbox rows sent: the
 * rows are unsent again, and sending them again meets the broker's duplicate detection, which
 * rejects the whole broker transaction. The relay must recognise that the broker has the
 * messages, mark the rows sent and go on — not retry for ever and hold up the outbox behind it.
 */
class RelayRecoveryIT {

    private static TestServer server;

    @BeforeAll
    static void server() {
        server = TestServer.shared();
    }

    @AfterAll
    static void disconnect() {
        server.closeOffices();
    }

    @Test
    void messages_the_broker_already_has_are_marked_sent_and_delivered_once() {
        TestOffice hq = server.office("HQ-WAA").awaitConnected();
        Map<String, TestOffice.Keys> offices = new LinkedHashMap<>();
        for (String code : List.of("AO-EMB", "DZ-EMB")) {
            offices.put(code, server.enrol(code, "officer")); // offline for now: the messages wait on their queues
        }
        Letters.Letter letter = Letters.notice("HQ-WAA", List.of("AO-EMB", "DZ-EMB"), Letters.text(4 * 1024));
        SubmitAck ack = hq.send(letter.header(), letter.content());
        assertThat(ack.duplicate()).isFalse();
        assertThat(unsent(letter)).isZero();

        // The crash: the broker committed, the rows were never marked sent.
        server.jdbc().update("UPDATE outbox SET sent_at = NULL WHERE document_id = ?", letter.id());
        assertThat(unsent(letter)).isEqualTo(2);

        OutboxRelay relay = server.bean(OutboxRelay.class);
        assertThat(relay.sendNow(letter.id())).as("the broker already holds these messages").isTrue();
        assertThat(unsent(letter)).isZero();

        // A later document is not held up, and each office gets each document exactly once.
        Letters.Letter next = Letters.notice("HQ-WAA", List.of("AO-EMB", "DZ-EMB"), Letters.text(4 * 1024));
        hq.send(next.header(), next.content());
        for (var entry : offices.entrySet()) {
            String code = entry.getKey();
            TestOffice office = server.connect(entry.getValue()).awaitConnected();
            office.awaitDocument(letter.id(), Duration.ofSeconds(20));
            office.awaitDocument(next.id(), Duration.ofSeconds(20));
            assertThat(office.duplicates()).as("deliveries of a document %s already had", code).isZero();
            assertThat(office.arrivals()).containsExactlyInAnyOrder(letter.id(), next.id());
            assertThat(office.failures()).isEmpty();
        }
    }

    private static int unsent(Letters.Letter letter) {
        Integer n = server.jdbc().queryForObject("SELECT count(*) FROM outbox WHERE document_id = ? AND sent_at IS NULL",
                Integer.class, letter.id());
        return n == null ? 0 : n;
    }
}
