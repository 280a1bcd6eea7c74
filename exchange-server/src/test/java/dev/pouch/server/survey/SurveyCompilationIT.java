package dev.pouch.server.survey;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.Pem;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.crypto.testing.Openssl;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.testing.Docx;
import dev.pouch.server.testing.Https;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A survey compiled on a real server (embedded PostgreSQL and Artemis, offices over mutual TLS):
 * HQ-EUR asks six European offices; FR-EMB answers on time with a Word report (and once more,
 * late), DE-EMB on time with a document large enough to travel as parts, IT-EMB late; ES-EMB
 * signs for the survey and never answers, NL-EMB receives it and never answers, PT-EMB never
 * connects. The package's manifest and report say exactly that; every original in it decrypts
 * with HQ-EUR's key and verifies with {@code openssl cms} against the exchange root, and is the
 * stored object byte for byte; the opened attachments are what the offices sent.
 */
class SurveyCompilationIT {

    private static final Duration AT_ONCE = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofSeconds(25);
    private static final int PART = 64 * 1024;
    private static final List<String> TARGETS = List.of("DE-EMB", "ES-EMB", "FR-EMB", "IT-EMB", "NL-EMB", "PT-EMB");

    private static TestServer server;
    private static TestOffice.Keys hqKeys;
    private static UUID survey;
    private static Instant deadline;
    private static final Map<String, UUID> firstResponse = new HashMap<>();
    private static UUID frSecond;
    private static byte[] frDocx;
    private static byte[] frSecondText;
    private static byte[] deText;
    private static byte[] deDocx;
    private static byte[] itText;
    private static TestOffice hq;
    private static TestOffice de;

    @TempDir
    Path dir;

    @BeforeAll
    static void surveyAnsweredByHalfTheOffices() throws Exception {
        server = TestServer.shared();
        hqKeys = server.enrol("HQ-EUR", "officer");
        hq = server.connect(hqKeys).awaitConnected();
        Map<String, TestOffice> offices = new HashMap<>();
        for (String code : List.of("ES-EMB", "FR-EMB", "IT-EMB", "NL-EMB")) {
            offices.put(code, server.office(code));
        }
        // DE-EMB seals with small parts, so that its 200 KiB answer travels as a parted document.
        de = TestOffice.connect(server.enrol("DE-EMB", "officer"), server.root(), "127.0.0.1", server.exchangePort(), PART);
        offices.put("DE-EMB", de);
        offices.values().forEach(TestOffice::awaitConnected);
        server.enrol("PT-EMB", "officer"); // enrolled, never connected

        deadline = Instant.now().plus(WINDOW);
        byte[] letter = "请于截止时间前报送所在国电信市场调研报告。\nPlease report on the telecom market by the deadline.\n"
                .getBytes(StandardCharsets.UTF_8);
        DocumentHeader request = Letters.header("HQ-EUR", TARGETS, Precedence.URGENT, Classification.INTERNAL)
                .type(DocumentType.SURVEY_REQUEST).subject("关于欧洲电信市场的调研函 — European telecom market")
                .deadline(deadline).attachment(new Attachment("调研函.txt", "text/plain", letter.length)).build();
        survey = request.documentId();
        hq.send(request, letter);
        for (String code : List.of("DE-EMB", "ES-EMB", "FR-EMB", "IT-EMB", "NL-EMB")) {
            offices.get(code).awaitDocument(survey, AT_ONCE);
            offices.get(code).awaitReceiptAccepted(survey, AT_ONCE);
        }
        offices.get("ES-EMB").signFor(survey, "已签收");

        frDocx = Docx.of("法国电信市场调研报告\n法国有四家移动运营商。\nFrance has four mobile operators.");
        UUID fr = respond(offices.get("FR-EMB"), List.of(new Attachment("报告.docx", Docx.MEDIA_TYPE, frDocx.length)), frDocx);
        deText = Letters.text(200 * 1024).getBytes(StandardCharsets.UTF_8);
        deDocx = Docx.of("德国电信市场\nDer deutsche Telekommunikationsmarkt.");
        UUID deId = UUID.randomUUID();
        DocumentHeader deHeader = report("DE-EMB", deId, List.of(new Attachment("bericht.txt", "text/plain", deText.length),
                new Attachment("报告.docx", Docx.MEDIA_TYPE, deDocx.length)));
        Path work = Files.createTempDirectory("compilation-it");
        try {
            Path content = work.resolve("content");
            Files.write(content, concat(deText, deDocx));
            assertThat(de.sendParts(deHeader, content, work).duplicate()).isFalse();
        } finally {
            TestServer.deleteTree(work);
        }
        firstResponse.put("FR-EMB", fr);
        firstResponse.put("DE-EMB", deId);
        assertThat(Instant.now()).as("the on-time answers must be accepted within the survey's %s window", WINDOW)
                .isBefore(deadline);

        while (!Instant.now().isAfter(deadline.plusMillis(500))) {
            Thread.sleep(200); // the exchange's own clock decides on time or late: let the deadline pass
        }
        itText = "Relazione sul mercato italiano delle telecomunicazioni.\n".repeat(20).getBytes(StandardCharsets.UTF_8);
        firstResponse.put("IT-EMB", respond(offices.get("IT-EMB"), List.of(new Attachment("relazione.txt", "text/plain",
                itText.length)), itText));
        frSecondText = "补充材料：资费表。Supplement: tariffs.\n".getBytes(StandardCharsets.UTF_8);
        byte[] frSecondDocx = frDocx;
        frSecond = respond(offices.get("FR-EMB"), List.of(new Attachment("报告.docx", Docx.MEDIA_TYPE, frSecondDocx.length),
                new Attachment("补充.txt", "text/plain", frSecondText.length)), concat(frSecondDocx, frSecondText));
        hq.awaitDocument(frSecond, AT_ONCE);
    }

    @AfterAll
    static void disconnect() {
        if (de != null) {
            de.close();
        }
        server.closeOffices();
    }

    private static UUID respond(TestOffice office, List<Attachment> attachments, byte[] content) {
        DocumentHeader h = report(office.organization().value(), UUID.randomUUID(), attachments);
        SubmitAck ack = office.send(h, content);
        assertThat(ack.duplicate()).isFalse();
        return h.documentId();
    }

    private static DocumentHeader report(String office, UUID id, List<Attachment> attachments) {
        return Letters.header(office, List.of("HQ-EUR"), Precedence.ROUTINE, Classification.INTERNAL).documentId(id)
                .type(DocumentType.REPORT).inReplyTo(survey).subject(office + " 电信市场调研报告").attachments(attachments).build();
    }

    @Test
    void compilation_showsExactlyWhoAnsweredOnTimeLateOrNot_andEveryOriginalVerifiesWithOpenssl() throws Exception {
        Map<String, byte[]> zip = unzip(download(hqKeys.tls(), "/api/surveys/" + survey + "/compilation", 200));

        JsonNode manifest = JsonMapper.builder().build().readTree(zip.get("manifest.json"));
        assertThat(manifest.path("survey").path("id").asString()).isEqualTo(survey.toString());
        assertThat(manifest.path("survey").path("state").asString()).isEqualTo("OPEN");
        assertThat(manifest.path("classification").asString()).isEqualTo("INTERNAL");
        JsonNode counts = manifest.path("counts");
        assertThat(List.of(counts.path("targets").asInt(), counts.path("respondedOnTime").asInt(),
                counts.path("respondedLate").asInt(), counts.path("noResponse").asInt())).containsExactly(6, 2, 1, 3);
        Map<String, JsonNode> offices = new LinkedHashMap<>();
        manifest.path("offices").forEach(o -> offices.put(o.path("office").asString(), o));
        assertThat(offices.keySet()).containsExactlyElementsOf(TARGETS);
        assertThat(state(offices, "FR-EMB")).isEqualTo("RESPONDED_ON_TIME");
        assertThat(state(offices, "DE-EMB")).isEqualTo("RESPONDED_ON_TIME");
        assertThat(state(offices, "IT-EMB")).isEqualTo("RESPONDED_LATE");
        for (String silent : List.of("ES-EMB", "NL-EMB", "PT-EMB")) {
            assertThat(state(offices, silent)).isEqualTo("NO_RESPONSE");
            assertThat(offices.get(silent).path("responses")).isEmpty();
        }
        assertThat(offices.get("ES-EMB").path("deliveryState").asString()).isEqualTo("SIGNED_FOR");
        assertThat(offices.get("NL-EMB").path("deliveryState").asString()).isEqualTo("DELIVERED");
        assertThat(offices.get("PT-EMB").path("deliveryState").asString()).isEqualTo("QUEUED");
        for (String code : List.of("FR-EMB", "DE-EMB", "IT-EMB")) {
            JsonNode o = offices.get(code);
            assertThat(o.path("responseId").asString()).isEqualTo(firstResponse.get(code).toString());
            assertThat(o.path("responder").asString()).isEqualTo("urn:pouch:staff:" + code + ":officer");
            assertThat(o.path("signatureStatus").asString()).isEqualTo("VALID");
            assertThat(o.path("respondedAt").asString()).isNotEmpty();
            assertThat(Instant.parse(o.path("respondedAt").asString()).isAfter(deadline)).isEqualTo(code.equals("IT-EMB"));
        }
        // Every response, not only the first: FR-EMB's second (late) one is in the package too.
        JsonNode frResponses = offices.get("FR-EMB").path("responses");
        assertThat(frResponses).hasSize(2);
        assertThat(frResponses.get(1).path("id").asString()).isEqualTo(frSecond.toString());
        assertThat(frResponses.get(1).path("onTime").asBoolean()).isFalse();

        // manifest.csv: the same rows and states.
        String csv = new String(zip.get("manifest.csv"), StandardCharsets.UTF_8);
        List<List<String>> rows = CompilationManifestWriterTest.parse(csv.substring(1));
        assertThat(rows).hasSize(7);
        int office = CompilationManifestWriter.CSV_COLUMNS.indexOf("office");
        int state = CompilationManifestWriter.CSV_COLUMNS.indexOf("state");
        int responses = CompilationManifestWriter.CSV_COLUMNS.indexOf("responses");
        assertThat(rows.subList(1, 7).stream().map(r -> r.get(office) + " " + r.get(state) + " " + r.get(responses)).toList())
                .containsExactly("DE-EMB RESPONDED_ON_TIME 1", "ES-EMB NO_RESPONSE 0", "FR-EMB RESPONDED_ON_TIME 2",
                        "IT-EMB RESPONDED_LATE 1", "NL-EMB NO_RESPONSE 0", "PT-EMB NO_RESPONSE 0");
        assertThat(csv).contains("驻法国使馆经济商务处");

        // report.docx: the response-rate table, a section per responding office, the silent ones listed.
        try (XWPFDocument report = new XWPFDocument(new ByteArrayInputStream(zip.get("report.docx")))) {
            assertThat(report.getTables().get(0).getRow(1).getTableCells().stream().map(XWPFTableCell::getText).toList())
                    .containsExactly("6", "2", "1", "3", "50.0%");
            assertThat(report.getTables().get(1).getRows().stream().skip(1).map(r -> r.getCell(0).getText()).toList())
                    .containsExactly("ES-EMB", "NL-EMB", "PT-EMB");
            String text = String.join("\n", report.getParagraphs().stream().map(XWPFParagraph::getText).toList());
            assertThat(text).contains("法国有四家移动运营商。", "Relazione sul mercato italiano", "补充材料：资费表。");
            assertThat(report.getParagraphs().stream().map(XWPFParagraph::getText)
                    .filter(t -> t.matches("^(DE|FR|IT)-EMB .*")).toList()).hasSize(3);
        }

        // The opened attachments are what the offices sent; names that clash in a folder are told apart.
        assertThat(zip.get("attachments/FR-EMB/报告.docx")).isEqualTo(frDocx);
        assertThat(zip.get("attachments/FR-EMB/报告 (2).docx")).isEqualTo(frDocx);
        assertThat(zip.get("attachments/FR-EMB/补充.txt")).isEqualTo(frSecondText);
        assertThat(zip.get("attachments/DE-EMB/bericht.txt")).isEqualTo(deText);
        assertThat(zip.get("attachments/DE-EMB/报告.docx")).isEqualTo(deDocx);
        assertThat(zip.get("attachments/IT-EMB/relazione.txt")).isEqualTo(itText);

        // Every original: the stored object byte for byte, and OpenSSL alone decrypts and verifies it.
        Files.writeString(dir.resolve("root.pem"), Pem.certificate(server.root()));
        KeyCredential ka = hqKeys.keyAgreement();
        Files.writeString(dir.resolve("hq-ka.pem"), Pem.certificate(ka.certificate()));
        Files.writeString(dir.resolve("hq-ka.key"), Pem.privateKey(ka.privateKey()));
        List<String> mains = zip.keySet().stream().filter(n -> n.startsWith("originals/") && !n.contains(".part-")).sorted().toList();
        assertThat(mains).hasSize(4);
        for (String name : mains) {
            UUID id = UUID.fromString(name.substring(name.lastIndexOf('/') + 1, name.length() - 4));
            byte[] stored = server.jdbc().queryForObject("SELECT main_sha256 FROM document WHERE id = ?", byte[].class, id);
            assertThat(Sha256.digest(zip.get(name)).bytes()).as(name).isEqualTo(stored);
            Files.write(dir.resolve("original.p7m"), zip.get(name));
            var decrypt = Openssl.run(dir, "cms", "-decrypt", "-inform", "DER", "-in", "original.p7m", "-recip", "hq-ka.pem",
                    "-inkey", "hq-ka.key", "-out", "signed.der");
            assertThat(decrypt.exitCode()).as(name + ": " + decrypt.output()).isZero();
            var verify = Openssl.run(dir, "cms", "-verify", "-inform", "DER", "-in", "signed.der", "-CAfile", "root.pem",
                    "-out", "content.bin");
            assertThat(verify.exitCode()).as(name + ": " + verify.output()).isZero();
            if (!id.equals(firstResponse.get("DE-EMB"))) {
                byte[] attachments = concat(zip.keySet().stream().filter(n -> n.startsWith("attachments/"))
                        .filter(n -> isOf(manifest, id, n)).map(zip::get).toArray(byte[][]::new));
                assertThat(Files.readAllBytes(dir.resolve("content.bin"))).as(name).isEqualTo(attachments);
            }
        }
        // DE-EMB's parts: each the stored part, and OpenSSL decrypts them with the signed manifest's bulk key.
        UUID deId = firstResponse.get("DE-EMB");
        List<String> parts = zip.keySet().stream().filter(n -> n.startsWith("originals/DE-EMB/" + deId + ".part-")).sorted().toList();
        List<byte[]> storedParts = server.jdbc().queryForList("""
                SELECT b.sha256 FROM document_part p JOIN blob b ON b.id = p.blob_id WHERE p.document_id = ? ORDER BY p.index""",
                byte[].class, deId);
        assertThat(parts).hasSize(storedParts.size()).hasSizeGreaterThan(2);
        var manifestOfParts = hq.awaitDocument(deId, AT_ONCE).document().manifest().orElseThrow();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            assertThat(Sha256.digest(zip.get(parts.get(i))).bytes()).isEqualTo(storedParts.get(i));
            Files.write(dir.resolve("part.p7m"), zip.get(parts.get(i)));
            var part = Openssl.run(dir, "cms", "-decrypt", "-inform", "DER", "-in", "part.p7m", "-secretkey",
                    manifestOfParts.revealBulkKeyHexForOpenSsl(), "-secretkeyid", manifestOfParts.bulkKeyIdHex(), "-out", "part.bin");
            assertThat(part.exitCode()).as(part.output()).isZero();
            whole.writeBytes(Files.readAllBytes(dir.resolve("part.bin")));
        }
        assertThat(whole.toByteArray()).isEqualTo(concat(deText, deDocx));

        assertThat(server.jdbc().queryForObject("""
                SELECT count(*) FROM audit_log WHERE action = 'SURVEY_COMPILED' AND subject = ? AND outcome = 'OK'
                  AND detail LIKE '%6 targets, 2 on time, 1 late, 3 no response; 4 responses%'""", Long.class, survey.toString()))
                .isGreaterThanOrEqualTo(1);
        assertThat(Files.list(server.dataDir().resolve("tmp/compilations")).count()).as("temporary packages are removed").isZero();
    }

    @Test
    void anotherOrganization_anUnknownSurvey_aRoleThatMayNotRead_andTooLowAClearance_areRefused() {
        Https other = Https.as(server.enrol("HQ-WAA", "officer").tls(), server.root(), server.httpsPort());
        Https.Response r = other.get("/api/surveys/" + survey + "/compilation");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("name").asString()).isEqualTo("NOT_FOUND");
        // A target office cannot compile the survey it answered either.
        Https fr = Https.as(server.enrol("FR-EMB", "reader", Role.READER).tls(), server.root(), server.httpsPort());
        assertThat(fr.get("/api/surveys/" + survey + "/compilation").json().path("name").asString()).isEqualTo("NOT_FOUND");

        Https own = Https.as(hqKeys.tls(), server.root(), server.httpsPort());
        Https.Response unknown = own.get("/api/surveys/" + UUID.randomUUID() + "/compilation");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("code").asInt()).isEqualTo(3007);
        Https.Response notAUuid = own.get("/api/surveys/nonsense/compilation");
        assertThat(notAUuid.json().path("name").asString()).isEqualTo("INVALID_REQUEST");

        Https auditor = Https.as(server.enrol("HQ-EUR", "auditor", Role.AUDITOR).tls(), server.root(), server.httpsPort());
        assertThat(auditor.get("/api/surveys/" + survey + "/compilation").json().path("name").asString()).isEqualTo("FORBIDDEN");

        TestOffice.Keys intern = server.enrol("HQ-EUR", "intern", Role.READER);
        server.bean(StaffRepository.class).save(OrgCode.of("HQ-EUR"), "intern", "intern", EnumSet.of(Role.READER),
                Classification.PUBLIC);
        Https.Response low = Https.as(intern.tls(), server.root(), server.httpsPort()).get("/api/surveys/" + survey + "/compilation");
        assertThat(low.status()).isEqualTo(403);
        assertThat(low.json().path("name").asString()).isEqualTo("FORBIDDEN");
        assertThat(low.json().path("message").asString()).contains("clearance");

        assertThat(server.jdbc().queryForObject("""
                SELECT count(*) FROM audit_log WHERE action = 'SURVEY_COMPILED' AND subject = ? AND outcome = 'REFUSED'
                  AND actor IN ('urn:pouch:staff:HQ-WAA:officer', 'urn:pouch:staff:HQ-EUR:intern')""", Long.class, survey.toString()))
                .isEqualTo(2);
    }

    private static boolean isOf(JsonNode manifest, UUID response, String path) {
        for (JsonNode o : manifest.path("offices")) {
            for (JsonNode r : o.path("responses")) {
                if (r.path("id").asString().equals(response.toString())) {
                    for (JsonNode a : r.path("attachments")) {
                        if (a.path("path").asString().equals(path)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static String state(Map<String, JsonNode> offices, String code) {
        return offices.get(code).path("state").asString();
    }

    static byte[] concat(byte[]... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : pieces) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                assertThat(entries.put(e.getName(), in.readAllBytes())).as("entry %s is unique", e.getName()).isNull();
            }
        }
        return entries;
    }

    /** GET as bytes with a staff certificate (the zip is binary; {@link Https} reads text). */
    static byte[] download(KeyCredential tls, String path, int expectedStatus) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("tls", tls.privateKey(), new char[0], tls.chain().toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", server.root());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLSv1.3");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (HttpClient client = HttpClient.newBuilder().sslContext(ssl).build()) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.httpsPort() + path))
                    .timeout(Duration.ofMinutes(2)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(expectedStatus);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/zip");
            assertThat(r.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment", ".zip");
            return r.body();
        }
    }
}
