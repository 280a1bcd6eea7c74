package dev.pouch.server.delivery;

import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.receipt.EssReceipts;
import dev.pouch.protocol.message.RecipientStatus;
import dev.pouch.protocol.message.StatusReply;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.server.directory.Region;
import dev.pouch.server.pki.ExchangePki;
import dev.pouch.server.testing.Https;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The path of one document, end to end on a real server (embedded PostgreSQL and Artemis): HQ-EUR
 * sends a notice to the whole EUROPE region; the connected offices get it at once, the offline
 * ones when they connect; every office's receipt verifies; the status shows each office's state,
 * over the protocol and over REST.
 */
class RegionDeliveryIT {

    private static final Duration AT_ONCE = Duration.ofSeconds(20);
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
    void notice_to_a_region_reaches_connected_offices_at_once_and_offline_ones_on_connect() {
        List<String> europe = server.region(Region.EUROPE);
        assertThat(europe).hasSize(45).contains("FR-EMB", "DE-EMB");
        List<String> offline = List.of(europe.get(0), europe.get(1), "FR-EMB");
        TestOffice hq = server.office("HQ-EUR").awaitConnected();
        Map<String, TestOffice.Keys> keys = new HashMap<>();
        europe.forEach(code -> keys.put(code, server.enrol(code, "officer")));
        Map<String, TestOffice> online = new HashMap<>();
        for (String code : europe) {
            if (!offline.contains(code)) {
                online.put(code, server.connect(keys.get(code)));
            }
        }
        online.values().forEach(TestOffice::awaitConnected);

        Letters.Letter notice = Letters.notice("HQ-EUR", europe, Letters.text(16 * 1024));
        SubmitAck ack = hq.send(notice.header(), notice.content());
        assertThat(ack.documentId()).isEqualTo(notice.id());
        assertThat(ack.duplicate()).isFalse();

        for (TestOffice office : online.values()) {
            TestOffice.Received r = office.awaitDocument(notice.id(), AT_ONCE);
            assertThat(r.content()).isEqualTo(notice.content());
            assertThat(r.document().header()).isEqualTo(notice.header());
            assertThat(r.document().signer().identity().requireOrganization()).isEqualTo(OrgCode.of("HQ-EUR"));
        }
        online.values().forEach(o -> o.awaitReceiptAccepted(notice.id(), AT_ONCE));

        Map<String, RecipientStatus> status = byOrganization(hq.status(notice.id()));
        assertThat(status).hasSize(45);
        offline.forEach(code -> assertThat(status.get(code).state()).as(code).isEqualTo("QUEUED"));
        online.keySet().forEach(code -> assertThat(status.get(code).state()).as(code).isEqualTo("DELIVERED"));

        List<TestOffice> late = new ArrayList<>();
        offline.forEach(code -> late.add(server.connect(keys.get(code))));
        for (TestOffice office : late) {
            assertThat(office.awaitDocument(notice.id(), AT_ONCE).content()).isEqualTo(notice.content());
            office.awaitReceiptAccepted(notice.id(), AT_ONCE);
        }

        // Every stored receipt verifies against the original signature, independently of the server's check.
        var verifier = EssReceipts.verifier(server.bean(ExchangePki.class).validator());
        var original = online.values().iterator().next().received().get(notice.id()).document().originalSignature();
        List<Map<String, Object>> receipts = server.jdbc().queryForList(
                "SELECT organization, receipt FROM recipient WHERE document_id = ? AND receipt IS NOT NULL", notice.id());
        assertThat(receipts).hasSize(45);
        for (Map<String, Object> row : receipts) {
            var verified = verifier.verify((byte[]) row.get("receipt"), original, ValidationTime.now());
            assertThat(verified.recipient().value()).isEqualTo(row.get("organization"));
        }

        // FR-EMB's staff signs for it; DE-EMB replies to it.
        TestOffice fr = late.get(2);
        fr.signFor(notice.id(), "已签收 — received");
        TestOffice de = online.get("DE-EMB");
        Letters.Letter reply = Letters.reply("DE-EMB", "HQ-EUR", notice.id(), "Zur Kenntnis genommen — noted, Bonn");
        de.send(reply.header(), reply.content());
        assertThat(hq.awaitDocument(reply.id(), AT_ONCE).document().header().inReplyTo()).contains(notice.id());

        Map<String, RecipientStatus> after = byOrganization(hq.status(notice.id()));
        assertThat(after.get("FR-EMB").state()).isEqualTo("SIGNED_FOR");
        assertThat(after.get("FR-EMB").signedForBy()).isEqualTo("officer");
        assertThat(after.get("DE-EMB").state()).isEqualTo("REPLIED");
        assertThat(after.values().stream().map(RecipientStatus::state).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("DELIVERED", "SIGNED_FOR", "REPLIED");

        // The same over REST, for the sender's staff member.
        Https rest = Https.as(hq.keys().tls(), server.root(), server.httpsPort());
        Https.Response r = rest.get("/api/documents/" + notice.id() + "/status");
        assertThat(r.status()).isEqualTo(200);
        Map<String, String> states = new HashMap<>();
        r.json().get("recipients").forEach(n -> states.put(n.get("organization").asString(), n.get("state").asString()));
        assertThat(states).hasSize(45).containsEntry("FR-EMB", "SIGNED_FOR").containsEntry("DE-EMB", "REPLIED")
                .containsEntry(offline.get(0), "DELIVERED");

        // Nobody received anything twice, and nothing failed to open.
        online.values().forEach(o -> assertThat(o.duplicates()).isZero());
        online.values().forEach(o -> assertThat(o.failures()).isEmpty());
    }

    @Test
    void an_offline_office_receives_everything_in_precedence_order() {
        TestOffice hq = server.office("HQ-WAA").awaitConnected();
        TestOffice.Keys office = server.enrol("KE-EMB", "officer");
        List<UUID> routine = new ArrayList<>();
        List<UUID> flash = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Letters.Letter r = Letters.letter("HQ-WAA", List.of("KE-EMB"), "routine " + i, Precedence.ROUTINE, Classification.INTERNAL);
            hq.send(r.header(), r.content());
            routine.add(r.id());
        }
        Letters.Letter urgent = Letters.letter("HQ-WAA", List.of("KE-EMB"), "urgent", Precedence.URGENT, Classification.PUBLIC);
        hq.send(urgent.header(), urgent.content());
        for (int i = 0; i < 2; i++) {
            Letters.Letter f = Letters.letter("HQ-WAA", List.of("KE-EMB"), "flash " + i, Precedence.FLASH, Classification.INTERNAL);
            hq.send(f.header(), f.content());
            flash.add(f.id());
        }

        TestOffice ke = server.connect(office);
        routine.forEach(id -> ke.awaitDocument(id, AT_ONCE));
        List<UUID> order = ke.arrivals();
        assertThat(order).hasSize(6);
        assertThat(order.subList(0, 2)).containsExactlyInAnyOrderElementsOf(flash);
        assertThat(order.get(2)).isEqualTo(urgent.id());
        assertThat(order.subList(3, 6)).containsExactlyInAnyOrderElementsOf(routine);
    }

    @Test
    void a_delivery_the_office_never_acknowledged_comes_again_after_it_reconnects() {
        TestOffice hq = server.office("HQ-AMO").awaitConnected();
        TestOffice br = server.office("BR-EMB").awaitConnected();
        br.acknowledgeDeliveries(false);
        Letters.Letter notice = Letters.notice("HQ-AMO", List.of("BR-EMB"), "Aviso — please confirm");
        hq.send(notice.header(), notice.content());
        br.awaitDocument(notice.id(), AT_ONCE);
        assertThat(byOrganization(hq.status(notice.id())).get("BR-EMB").state()).isEqualTo("QUEUED");

        br.acknowledgeDeliveries(true);
        br.dropConnection();
        org.awaitility.Awaitility.await().atMost(AT_ONCE).untilAsserted(() ->
                assertThat(byOrganization(hq.status(notice.id())).get("BR-EMB").state()).isEqualTo("DELIVERED"));
        assertThat(br.duplicates()).isEqualTo(1);
        br.awaitReceiptAccepted(notice.id(), AT_ONCE);
    }

    @Test
    void resubmitting_the_same_document_returns_the_first_answer_and_stores_nothing_new() {
        TestOffice hq = server.office("HQ-ASI").awaitConnected();
        TestOffice jp = server.office("JP-EMB").awaitConnected();
        Letters.Letter notice = Letters.notice("HQ-ASI", List.of("JP-EMB"), "お知らせ — notice");
        byte[] sealed = hq.seal(notice.header(), notice.content());
        SubmitAck first = hq.submitSealed(notice.id(), sealed);
        SubmitAck again = hq.submitSealed(notice.id(), sealed);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.acceptedAt()).isEqualTo(first.acceptedAt());
        jp.awaitDocument(notice.id(), AT_ONCE);
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM document WHERE id = ?", Long.class, notice.id())).isOne();
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM outbox WHERE document_id = ?", Long.class, notice.id())).isOne();
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM upload WHERE owner LIKE '%HQ-ASI%'", Long.class)).isZero();
        assertThat(server.orphanBlobs()).isZero();
        org.awaitility.Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> jp.duplicates() == 0);
    }

    @Test
    void a_large_document_travels_as_parts_and_is_checked_part_by_part() throws Exception {
        TestOffice.Keys hqKeys = server.enrol("HQ-FT", "officer");
        int partSize = 64 * 1024;
        try (TestOffice hq = TestOffice.connect(hqKeys, server.root(), "127.0.0.1", server.exchangePort(), partSize)) {
            TestOffice cn = server.office("SG-EMB").awaitConnected();
            byte[] content = Letters.text(300 * 1024).getBytes(StandardCharsets.UTF_8);
            DocumentHeader header = Letters.header("HQ-FT", List.of("SG-EMB"), Precedence.URGENT, Classification.INTERNAL)
                    .type(DocumentType.STATISTICS)
                    .attachment(new dev.pouch.crypto.document.Attachment("statistics.txt", "text/plain", content.length)).build();
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("parts");
            java.nio.file.Path file = dir.resolve("content");
            java.nio.file.Files.write(file, content);
            hq.sendParts(header, file, dir);
            TestOffice.Received r = cn.awaitDocument(header.documentId(), AT_ONCE);
            assertThat(r.document().isParted()).isTrue();
            assertThat(r.document().manifest().orElseThrow().partCount()).isEqualTo((content.length + partSize - 1) / partSize)
                    .isGreaterThan(2);
            assertThat(r.content()).isEqualTo(content);
        }
    }

    private static Map<String, RecipientStatus> byOrganization(StatusReply reply) {
        return reply.recipients().stream().collect(Collectors.toMap(RecipientStatus::organization, s -> s));
    }
}
