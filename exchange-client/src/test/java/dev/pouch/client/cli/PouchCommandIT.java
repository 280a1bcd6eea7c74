package dev.pouch.client.cli;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.CredentialStore;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.LocalCertificateAuthority;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code pouch} command, run as a person runs it (the packaged jar, its own process) against a
 * real exchange (the packaged server, embedded PostgreSQL and Artemis): the README walkthrough end
 * to end, checked down to OpenSSL; the mistakes a person makes, each refused with its code, a
 * sentence and a non-zero exit, with nothing sent; and the office agent queueing files while the
 * exchange is down and delivering each exactly once when it returns.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PouchCommandIT {

    private static Path dir;
    private static ServerProcess server;
    private static PouchCommand pouch;
    private static final List<Process> agents = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pouch-cli-test");
        server = new ServerProcess(dir.resolve("server")).start();
        Files.createDirectories(dir.resolve("home"));
        pouch = new PouchCommand(dir.resolve("home"), server.exchangePort());
    }

    @AfterAll
    static void stop() {
        agents.forEach(PouchCommandIT::stopAgent);
        if (server != null) {
            server.close();
        }
        deleteTree(dir);
    }

    private static String demo(String org, String staff) {
        return dir.resolve("server/demo/" + org + "-" + staff + ".p12").toString();
    }

    private static final String HQ = "HQ-EUR-wang.fang";

    private static String hq() {
        return demo("HQ-EUR", "wang.fang");
    }

    private static String fr() {
        return demo("FR-EMB", "marie.dupont");
    }

    private static String de() {
        return demo("DE-EMB", "klaus.weber");
    }

    private static String json(String output, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(output);
        assertThat(m.find()).as("%s in %s", field, output).isTrue();
        return m.group(1);
    }

    @Test
    @Order(1)
    void the_readme_walkthrough_end_to_end() throws Exception {
        Path work = Files.createDirectories(dir.resolve("walkthrough"));
        String text = "各驻外经商机构：请于本月底前报送所在国电信市场调研报告。\nPlease report on the telecom market.\n";
        Files.writeString(work.resolve("notice.txt"), text, StandardCharsets.UTF_8);

        // FR-EMB's agent keeps its inbox folder.
        Path frLog = work.resolve("fr-sync.log");
        agents.add(pouch.start(work, frLog, "sync", "--dir", "fr-emb", "-c", fr()));
        awaitLog(frLog, "connected");

        // HQ-EUR sends a notice to the whole EUROPE region.
        PouchCommand.Result sent = pouch.run(work, "send", "notice.txt", "-c", hq(), "--number", "欧洲司〔2026〕101号",
                "--subject", "关于电信市场调研的通知", "--type", "SURVEY_REQUEST", "--to", "region:EUROPE", "--deadline",
                java.time.LocalDate.now().plusMonths(1).toString(),
                "--json");
        assertThat(sent.exit()).as("%s", sent).isZero();
        String id = json(sent.out(), "id");
        assertThat(sent.out()).contains("\"FR-EMB\"", "\"DE-EMB\"", "\"duplicate\":false");
        assertThat(sent.out().split("-EMB\"|-FRA\"|-HAM\"|-MUC\"|-MIL\"|-BCN\"|-STP\"|-EDI\"|-MAN\"|-LYO\"|-MRS\"|-IST\"|-GVA\"")
                .length - 1).isGreaterThan(30);

        // ...FR-EMB's agent receives it, opens it, verifies it and returns a receipt.
        awaitLog(frLog, "received  欧洲司〔2026〕101号  from HQ-EUR");
        Path inbox = work.resolve("fr-emb/inbox/" + id);
        await(() -> Files.exists(inbox.resolve("receipt.p7m")), "FR-EMB's receipt kept");
        assertThat(inbox.resolve("files/notice.txt")).hasContent(text);

        PouchCommand.Result list = pouch.run(work, "inbox", "--dir", "fr-emb");
        assertThat(list.exit()).as("%s", list).isZero();
        assertThat(list.out()).contains("欧洲司〔2026〕101号", "HQ-EUR", "关于电信市场调研的通知", id);

        // ...its staff signs for it, and the status shows each office's state.
        PouchCommand.Result signed = pouch.run(work, "sign-for", id, "-c", fr(), "--note", "转商务处");
        assertThat(signed.exit()).as("%s", signed).isZero();
        assertThat(signed.out()).contains("Signed for " + id);

        PouchCommand.Result status = pouch.run(work, "status", id, "-c", hq());
        assertThat(status.exit()).as("%s", status).isZero();
        assertThat(status.out()).containsPattern("FR-EMB +SIGNED_FOR +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +FR-EMB:marie.dupont|"
                + "FR-EMB +SIGNED_FOR .*marie.dupont");
        assertThat(status.out()).containsPattern("DE-EMB +QUEUED");
        assertThat(status.out()).contains("45 recipients:");
        PouchCommand.Result statusJson = pouch.run(work, "status", id, "-c", hq(), "--json");
        assertThat(statusJson.out()).contains("\"organization\":\"FR-EMB\",\"state\":\"SIGNED_FOR\"");

        // Anyone addressed fetches it from the exchange, opened, with the sealed original beside it.
        PouchCommand.Result fetched = pouch.run(work, "fetch", id, "-o", "de-copy", "-c", de());
        assertThat(fetched.exit()).as("%s", fetched).isZero();
        assertThat(work.resolve("de-copy/notice.txt")).hasContent(text);
        assertThat(work.resolve("de-copy/document.p7m")).isNotEmptyFile();
        assertThat(pouch.run(work, "fetch", id, "-o", "de-copy", "-c", de()).exit()).as("no overwriting").isEqualTo(Pouch.INVALID_INPUT);

        // The same sealed file, opened and verified offline by pouch, and by OpenSSL alone.
        PouchCommand.Result opened = pouch.run(work, "open", "fr-emb/inbox/" + id + "/document.p7m", "-o", "opened", "-c", fr(),
                "--crl", "fr-emb/exchange-crl.pem");
        assertThat(opened.exit()).as("%s", opened).isZero();
        assertThat(work.resolve("opened/notice.txt")).hasContent(text);
        PouchCommand.Result receipt = pouch.run(work, "verify-receipt", "fr-emb/inbox/" + id + "/receipt.p7m",
                "fr-emb/inbox/" + id + "/document.p7m", "-c", fr(), "--crl", "fr-emb/exchange-crl.pem");
        assertThat(receipt.exit()).as("%s", receipt).isZero();
        assertThat(receipt.out()).contains("Receipt verified: FR-EMB received 欧洲司〔2026〕101号");
        checkWithOpenssl(work, inbox.resolve("document.p7m"), text);

        // Sealing offline, for a certificate given as a file; only that recipient opens it; a changed byte is caught.
        assertThat(pouch.run(work, "credentials", "-c", de(), "--export", "de-certs").exit()).isZero();
        PouchCommand.Result sealedOffline = pouch.run(work, "seal", "notice.txt", "--to", "de-certs/key-agreement.crt", "-o",
                "for-de.p7m", "-n", "驻法使馆经商处〔2026〕8号", "--subject", "offline", "-c", fr(), "--crl", "fr-emb/exchange-crl.pem");
        assertThat(sealedOffline.exit()).as("%s", sealedOffline).isZero();
        PouchCommand.Result deOpens = pouch.run(work, "open", "for-de.p7m", "-o", "de-opened", "-c", de(), "--crl", "fr-emb/exchange-crl.pem");
        assertThat(deOpens.exit()).as("%s", deOpens).isZero();
        assertThat(work.resolve("de-opened/notice.txt")).hasContent(text);
        PouchCommand.Result frCannot = pouch.run(work, "open", "for-de.p7m", "-o", "fr-opened", "-c", fr(), "--crl", "fr-emb/exchange-crl.pem");
        assertThat(frCannot.exit()).as("%s", frCannot).isEqualTo(Pouch.VERIFICATION);
        assertThat(frCannot.err()).contains("pouch: error 20");
        byte[] tampered = Files.readAllBytes(work.resolve("for-de.p7m"));
        tampered[tampered.length - 40] ^= 1;
        Files.write(work.resolve("tampered.p7m"), tampered);
        PouchCommand.Result caught = pouch.run(work, "open", "tampered.p7m", "-o", "t", "-c", de(), "--crl", "fr-emb/exchange-crl.pem");
        assertThat(caught.exit()).as("%s", caught).isEqualTo(Pouch.VERIFICATION);
        assertThat(work.resolve("t")).doesNotExist();

        // FR-EMB replies; the reply goes to the sender, marked in reply to the notice.
        Files.writeString(work.resolve("report.txt"), "法国电信市场调研报告\n", StandardCharsets.UTF_8);
        PouchCommand.Result reply = pouch.run(work, "reply", id, "report.txt", "-n", "驻法使馆经商处〔2026〕7号", "-c", fr(),
                "--dir", "fr-emb", "--json");
        assertThat(reply.exit()).as("%s", reply).isZero();
        assertThat(reply.out()).contains("\"recipients\":[\"HQ-EUR\"]");
        await(() -> pouch.run(work, "status", id, "-c", hq()).out().matches("(?s).*FR-EMB +REPLIED.*"), "FR-EMB's state REPLIED");
    }

    /** As the README shows it: the keys exported by {@code pouch credentials}, then OpenSSL alone. */
    private void checkWithOpenssl(Path work, Path sealed, String text) throws Exception {
        PouchCommand.Result exported = pouch.run(work, "credentials", "-c", fr(), "--export", "fr-keys", "--keys");
        assertThat(exported.exit()).as("%s", exported).isZero();
        assertThat(exported.out()).contains("key-agreement", "urn:pouch:org:FR-EMB");
        Path root = dir.resolve("server/pki/exchange-root.pem");
        run(work, "openssl", "cms", "-decrypt", "-inform", "DER", "-in", sealed.toString(), "-recip", "fr-keys/key-agreement.crt",
                "-inkey", "fr-keys/key-agreement.key", "-out", "signed.der");
        run(work, "openssl", "cms", "-verify", "-inform", "DER", "-in", "signed.der", "-CAfile", root.toString(),
                "-out", "content.bin");
        assertThat(work.resolve("content.bin")).hasContent(text);
    }

    @Test
    @Order(2)
    void mistakes_are_refused_with_a_code_a_sentence_and_a_non_zero_exit_and_nothing_is_sent() throws Exception {
        Path work = Files.createDirectories(dir.resolve("mistakes"));
        Files.writeString(work.resolve("a.txt"), "text\n");
        Path sentFolder = dir.resolve("home/.pouch/HQ-EUR/sent");
        long before = count(sentFolder);

        PouchCommand.Result unknown = pouch.run(work, "send", "a.txt", "-c", hq(), "-n", "HQ-1", "--subject", "s", "--to", "FR-EMB,XX-NOPE");
        assertThat(unknown.exit()).as("%s", unknown).isEqualTo(Pouch.INVALID_INPUT);
        assertThat(unknown.err()).contains("pouch: error 3003 UNKNOWN_RECIPIENT").contains("XX-NOPE");

        PouchCommand.Result region = pouch.run(work, "send", "a.txt", "-c", hq(), "-n", "HQ-2", "--subject", "s", "--to", "region:ATLANTIS");
        assertThat(region.exit()).as("%s", region).isEqualTo(Pouch.INVALID_INPUT);
        assertThat(region.err()).contains("ATLANTIS");

        PouchCommand.Result missing = pouch.run(work, "send", "nothing-here.pdf", "-c", hq(), "-n", "HQ-3", "--subject", "s", "--to", "FR-EMB");
        assertThat(missing.exit()).as("%s", missing).isEqualTo(Pouch.INVALID_INPUT);
        assertThat(missing.err()).contains("pouch: error INVALID_INPUT: no readable file at nothing-here.pdf");

        Files.writeString(work.resolve("wrong.password"), "not-the-password");
        PouchCommand.Result password = pouch.run(work, "send", "a.txt", "-c", hq(), "--password-file", "wrong.password",
                "-n", "HQ-4", "--subject", "s", "--to", "FR-EMB");
        assertThat(password.exit()).as("%s", password).isEqualTo(Pouch.CREDENTIALS);
        assertThat(password.err()).contains("pouch: error CREDENTIALS: cannot open " + HQ + ".p12: the password is wrong");

        Path expired = expiredCredentials(work);
        PouchCommand.Result old = pouch.run(work, "send", "a.txt", "-c", expired.toString(), "-n", "HQ-5", "--subject", "s", "--to", "FR-EMB");
        assertThat(old.exit()).as("%s", old).isEqualTo(Pouch.CREDENTIALS);
        assertThat(old.err()).containsPattern("pouch: error CREDENTIALS: the tls certificate in expired.p12 expired on \\S+; ask an"
                + " administrator for a new one");

        PouchCommand.Result secret = pouch.run(work, "send", "a.txt", "-c", hq(), "-n", "HQ-6", "--subject", "s", "--to", "FR-EMB",
                "--classification", "TOP_SECRET", "--json");
        assertThat(secret.exit()).as("%s", secret).isEqualTo(Pouch.REFUSED);
        assertThat(secret.err()).contains("pouch: error 3002 CLASSIFICATION_ABOVE_CEILING");
        assertThat(secret.out()).contains("\"ok\":false", "\"code\":3002", "\"name\":\"CLASSIFICATION_ABOVE_CEILING\"");

        PouchCommand.Result usage = pouch.run(work, "send", "a.txt", "-c", hq(), "--subject", "s", "--to", "FR-EMB");
        assertThat(usage.exit()).as("%s", usage).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required option: '--number=<number>'");

        PouchCommand.Result badId = pouch.run(work, "status", "not-an-id", "-c", hq());
        assertThat(badId.exit()).isEqualTo(2);

        assertThat(count(sentFolder)).as("no sealed document kept for any refused send").isEqualTo(before);
        assertThat(pouch.run(work, "send", "--help").out()).contains("--classification", "region:EUROPE");
    }

    /** Credentials whose certificates all expired a year ago (issued by a CA of their own: expiry is checked first). */
    private static Path expiredCredentials(Path work) {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(800)), ZoneOffset.UTC);
        LocalCertificateAuthority ca = LocalCertificateAuthority.createRoot("Expired test root", Duration.ofDays(3650), past);
        OrgCode org = OrgCode.of("HQ-EUR");
        Credentials c = new Credentials(Map.of(
                CredentialRole.TLS, ca.issue(CertificateProfile.STAFF_TLS_CLIENT, Identity.staff(org, "wang.fang"), Duration.ofDays(365)),
                CredentialRole.SIGNING, ca.issue(CertificateProfile.ORGANIZATION_SIGNING, Identity.organization(org), Duration.ofDays(365)),
                CredentialRole.KEY_AGREEMENT, ca.issue(CertificateProfile.ORGANIZATION_KEY_AGREEMENT, Identity.organization(org),
                        Duration.ofDays(365))), List.of(ca.certificate()));
        Path file = work.resolve("expired.p12");
        CredentialStore.write(file, c, Password.of("expired-password"));
        try {
            Files.writeString(work.resolve("expired.password"), "expired-password");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    @Test
    @Order(3)
    void the_agent_queues_while_the_exchange_is_down_and_delivers_each_file_exactly_once_when_it_returns() throws Exception {
        Path work = Files.createDirectories(dir.resolve("offline"));
        server.stop();

        // FR-EMB's agent, with the exchange down, accepts three files into its outbox.
        Path log1 = work.resolve("fr-sync-1.log");
        Process first = pouch.start(work, log1, "sync", "--dir", "fr-emb", "--to", "HQ-EUR", "-c", fr());
        agents.add(first);
        Path outbox = Files.createDirectories(work.resolve("fr-emb/outbox"));
        for (int i = 1; i <= 3; i++) {
            Files.writeString(outbox.resolve("report-" + i + ".txt"), "report " + i + "\n");
        }
        Files.writeString(outbox.resolve("report-3.txt.pouch"), "subject=法国月报 第三期\nto=HQ-EUR\ntype=REPORT\n", StandardCharsets.UTF_8);
        for (int i = 1; i <= 3; i++) {
            awaitLog(log1, "queued    report-" + i + ".txt");
        }
        assertThat(Files.readString(log1)).doesNotContain("sent      ");
        assertThat(count(outbox.resolve(".queue"))).isEqualTo(3);

        // The agent itself is stopped hard; the queue is on disk.
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        server.start();
        Path hqLog = work.resolve("hq-sync.log");
        agents.add(pouch.start(work, hqLog, "sync", "--dir", "hq-eur", "-c", hq()));
        Path log2 = work.resolve("fr-sync-2.log");
        agents.add(pouch.start(work, log2, "sync", "--dir", "fr-emb", "--to", "HQ-EUR", "-c", fr()));

        await(() -> count(outbox.resolve("sent")) == 3, "three documents sent");
        // HQ-EUR's inbox also holds the reply of the walkthrough: count the reports.
        await(() -> reports(work.resolve("hq-eur/inbox")).size() == 3, "three reports in HQ-EUR's inbox");
        Thread.sleep(3000); // anything delivered twice would show up now
        assertThat(reports(work.resolve("hq-eur/inbox"))).containsExactlyInAnyOrder("report-1.txt", "report-2.txt", "report-3.txt");
        assertThat(count(outbox.resolve(".queue"))).isZero();
        // The walkthrough's reply waited for HQ-EUR's agent: the one-off commands run as HQ-EUR meanwhile
        // (pouch status) say in their hello that they take no deliveries, and took none.
        assertThat(count(work.resolve("hq-eur/inbox"))).isEqualTo(4);
        assertThat(count(dir.resolve("home/.pouch/HQ-EUR/inbox"))).isZero();
        PouchCommand.Result inbox = pouch.run(work, "inbox", "--dir", "hq-eur");
        assertThat(inbox.out()).contains("法国月报 第三期", "REPORT");
        assertThat(Files.readString(log2)).containsPattern("sent +FR-EMB-\\d{4}-\\w{8}");
    }

    // --- helpers

    /** The report files in an inbox, one entry per received document holding one. */
    private static List<String> reports(Path inbox) {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(inbox)) {
            return names;
        }
        try (Stream<Path> docs = Files.list(inbox)) {
            for (Path d : docs.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                try (Stream<Path> files = Files.list(d.resolve("files"))) {
                    files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("report-")).forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static long count(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> all = Files.list(folder)) {
            return all.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitLog(Path log, String text) {
        await(() -> {
            try {
                return Files.exists(log) && Files.readString(log).contains(text);
            } catch (IOException e) {
                return false;
            }
        }, "'" + text + "' in " + log.getFileName());
    }

    private static void await(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s: " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void run(Path work, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    }

    private static void stopAgent(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp folder
        }
    }
}
