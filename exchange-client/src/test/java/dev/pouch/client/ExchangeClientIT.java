package dev.pouch.client;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.message.RecipientStatus;
import dev.pouch.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client library against a real exchange (the packaged server as its own process, embedded
 * PostgreSQL and Artemis): HQ-EUR sends a notice to the whole EUROPE region; FR-EMB's and
 * DE-EMB's clients receive it, verify it and keep it with its sealed original and their receipt;
 * FR-EMB signs for it; the status shows each office's state. And the mistakes a person makes are
 * refused with a clear message before anything is sent.
 */
class ExchangeClientIT {

    private static Path dir;
    private static ServerProcess server;
    private static ExchangeClient hq;
    private static ExchangeClient fr;
    private static ExchangeClient de;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pouch-client-test");
        server = new ServerProcess(dir.resolve("server")).start();
        hq = client("HQ-EUR", "wang.fang");
        fr = client("FR-EMB", "marie.dupont");
        de = client("DE-EMB", "klaus.weber");
    }

    private static ExchangeClient client(String org, String staff) {
        return ExchangeClient.builder().credentials(server.demo(org, staff)).server("127.0.0.1", server.exchangePort())
                .store(dir.resolve("clients/" + org)).timeout(Duration.ofSeconds(30)).build().awaitConnected();
    }

    @AfterAll
    static void stop() {
        for (ExchangeClient c : new ExchangeClient[] {hq, fr, de}) {
            if (c != null) {
                c.close();
            }
        }
        if (server != null) {
            server.stop();
        }
        deleteTree(dir);
    }

    private static Path file(String name, String text) throws Exception {
        Path f = dir.resolve("outgoing").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void a_notice_to_a_region_is_received_verified_kept_with_its_original_signed_for_and_tracked() throws Exception {
        String text = "各驻外经商机构：请于本月底前报送所在国电信市场调研报告。\nPlease report on the telecom market.\n";
        Path notice = file("通知.txt", text);
        Instant deadline = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ExchangeClient.Sent sent = hq.send(Draft.builder().number("欧洲司〔2026〕101号").subject("关于电信市场调研的通知")
                .type(DocumentType.SURVEY_REQUEST).precedence(Precedence.URGENT).to("region:EUROPE").file(notice)
                .deadline(deadline).build());
        assertThat(sent.duplicate()).isFalse();
        assertThat(sent.recipients()).hasSize(45).extracting(Object::toString).contains("FR-EMB", "DE-EMB");

        for (ExchangeClient office : new ExchangeClient[] {fr, de}) {
            LocalStore.Entry got = office.awaitDocument(sent.id(), Duration.ofSeconds(30));
            assertThat(got.sender()).isEqualTo("HQ-EUR");
            assertThat(got.number()).isEqualTo("欧洲司〔2026〕101号");
            assertThat(got.files()).hasSize(1);
            assertThat(Files.readString(got.files().getFirst(), StandardCharsets.UTF_8)).isEqualTo(text);
            assertThat(got.folder().resolve("document.p7m")).isNotEmptyFile(); // the evidence
            awaitFile(got.folder().resolve("receipt.p7m"));
        }

        fr.signFor(sent.id(), "已收到，将按时报送");
        Map<String, RecipientStatus> states = hq.status(sent.id()).recipients().stream()
                .collect(Collectors.toMap(RecipientStatus::organization, s -> s));
        assertThat(states).hasSize(45);
        assertThat(states.get("FR-EMB").state()).isEqualTo("SIGNED_FOR");
        assertThat(states.get("FR-EMB").signedForBy()).contains("marie.dupont");
        assertThat(states.get("DE-EMB").state()).isEqualTo("DELIVERED");
        assertThat(states.get("IT-EMB").state()).isEqualTo("QUEUED"); // not connected

        // Sent again (a lost answer, say): the first answer, nothing new.
        ExchangeClient.Sent again = hq.send(Draft.builder().id(sent.id()).number("欧洲司〔2026〕101号").subject("关于电信市场调研的通知")
                .type(DocumentType.SURVEY_REQUEST).precedence(Precedence.URGENT).to("region:EUROPE").file(notice)
                .deadline(deadline).build());
        assertThat(again.duplicate()).isTrue();
        assertThat(again.acceptedAt()).isEqualTo(sent.acceptedAt());
    }

    @Test
    void a_file_larger_than_one_part_travels_as_parts_and_arrives_whole() throws Exception {
        Path big = dir.resolve("outgoing/statistics.csv");
        Files.createDirectories(big.getParent());
        try (var out = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 450_000; i++) {
                out.write("DE,2026-10," + i + ",电信设备,12345.67\n"); // ~17.9 MB: two parts of 16 MiB
            }
        }
        assertThat(Files.size(big)).isGreaterThan(16L << 20);
        ExchangeClient.Sent sent = hq.send(Draft.builder().number("欧洲司〔2026〕105号").subject("贸易统计").type(DocumentType.NOTICE)
                .to("DE-EMB").file(big).build());
        assertThat(hq.store().sealed(sent.id()).orElseThrow()).hasSize(3); // main + 2 parts
        LocalStore.Entry got = de.awaitDocument(sent.id(), Duration.ofSeconds(60));
        assertThat(got.files().getFirst()).hasSameBinaryContentAs(big);
        assertThat(got.folder().resolve("parts/part-1.p7m")).isNotEmptyFile();
    }

    @Test
    void an_unknown_organization_or_region_is_refused_before_anything_is_sent() throws Exception {
        Path f = file("a.txt", "x");
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> hq.send(Draft.builder().id(id).number("欧洲司〔2026〕102号").subject("s").to("FR-EMB", "XX-EMB")
                .file(f).build()))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.INVALID_INPUT))
                .hasMessageContaining("XX-EMB is not an organization of this exchange");
        assertThatThrownBy(() -> hq.send(Draft.builder().id(id).number("欧洲司〔2026〕102号").subject("s").to("region:ATLANTIS")
                .file(f).build()))
                .isInstanceOf(ClientException.class).hasMessageContaining("no region ATLANTIS");
        assertThatThrownBy(() -> hq.send(Draft.builder().id(id).number("欧洲司〔2026〕102号").subject("s").to("fr emb")
                .file(f).build()))
                .isInstanceOf(ClientException.class).hasMessageContaining("'fr emb' is not an organization code");
        assertNothingStored(id);
    }

    @Test
    void a_missing_file_is_refused_before_anything_is_sent() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> hq.send(Draft.builder().id(id).number("欧洲司〔2026〕103号").subject("s").to("FR-EMB")
                .file(dir.resolve("no-such-file.pdf")).build()))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.INVALID_INPUT))
                .hasMessageContaining("no readable file at");
        assertNothingStored(id);
    }

    @Test
    void a_document_above_the_ceiling_is_refused_by_the_exchange_with_its_code_and_not_stored() throws Exception {
        UUID id = UUID.randomUUID();
        Path f = file("secret.txt", "not for this exchange");
        assertThatThrownBy(() -> hq.send(Draft.builder().id(id).number("欧洲司〔2026〕104号").subject("s").to("FR-EMB")
                .classification(Classification.SECRET).file(f).build()))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ClientException.Kind.REFUSED);
                    assertThat(e.code()).contains(ErrorCode.CLASSIFICATION_ABOVE_CEILING);
                    assertThat(e.retryable()).isFalse();
                });
        assertNothingStored(id);
        assertThat(hq.store().sealed(id)).as("a refused document is not kept as sent").isEmpty();
    }

    @Test
    void wrong_password_and_missing_credentials_say_so() throws Exception {
        Path p12 = server.dataDir().resolve("demo/HQ-EUR-wang.fang.p12");
        assertThatThrownBy(() -> ExchangeClient.readCredentials(p12, Password.of("wrong")))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.CREDENTIALS))
                .hasMessageContaining("the password is wrong");
        assertThatThrownBy(() -> ExchangeClient.readCredentials(dir.resolve("nobody.p12"), Password.of("x")))
                .isInstanceOf(ClientException.class).hasMessageContaining("no credentials file at");
    }

    private static void assertNothingStored(UUID id) {
        assertThatThrownBy(() -> hq.status(id)).isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.code()).contains(ErrorCode.NOT_FOUND));
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(file).exists();
    }

    private static void deleteTree(Path root) {
        try (var all = Files.walk(root)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
