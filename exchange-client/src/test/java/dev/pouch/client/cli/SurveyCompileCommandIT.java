package dev.pouch.client.cli;

import dev.pouch.server.testing.Docx;
import dev.pouch.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pouch survey compile} against the packaged server: HQ-EUR's survey, FR-EMB's report; the
 * compilation is kept sealed for HQ-EUR alone — {@code pouch open} opens it to the very package
 * that {@code --extract} unpacked, OpenSSL decrypts and verifies it with HQ-EUR's key — and is
 * shared onward to HQ-GO; an office cannot compile the survey it answered.
 */
class SurveyCompileCommandIT {

    private static Path dir;
    private static ServerProcess server;
    private static PouchCommand pouch;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pouch-compile-test");
        server = new ServerProcess(dir.resolve("server")).start();
        Files.createDirectories(dir.resolve("home"));
        pouch = new PouchCommand(dir.resolve("home"), server.exchangePort(), server.httpsPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String demo(String org, String staff) {
        return dir.resolve("server/demo/" + org + "-" + staff + ".p12").toString();
    }

    private static String json(String output, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(output);
        assertThat(m.find()).as("%s in %s", field, output).isTrue();
        return m.group(1);
    }

    private static PouchCommand.Result ok(Path work, String... args) {
        PouchCommand.Result r = pouch.run(work, args);
        assertThat(r.exit()).as("pouch %s\n%s", String.join(" ", args), r).isZero();
        return r;
    }

    @Test
    void compile_keepsThePackageSealedForTheDepartment_openOpensItToTheSameZip_andItCanBeSharedOnward() throws Exception {
        Path work = Files.createDirectories(dir.resolve("compile"));
        Files.writeString(work.resolve("letter.txt"), "请报送电信市场情况。Please report on the telecom market.\n", StandardCharsets.UTF_8);
        Files.write(work.resolve("报告.docx"), Docx.of("法国电信市场调研报告\n法国有四家移动运营商。"));
        String deadline = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS).toString();
        String hq = demo("HQ-EUR", "wang.fang");
        String id = json(ok(work, "send", "letter.txt", "-c", hq, "-n", "商欧函〔2026〕30号", "--subject", "关于欧洲电信市场的调研函",
                "--type", "SURVEY_REQUEST", "--to", "FR-EMB,DE-EMB", "--deadline", deadline, "--store", "hq-store", "--json").out(), "id");
        ok(work, "send", "报告.docx", "-c", demo("FR-EMB", "marie.dupont"), "-n", "驻法经商〔2026〕31号", "--subject", "法国电信市场",
                "--type", "REPORT", "--in-reply-to", id, "--to", "HQ-EUR", "--store", "fr-store");

        // An office cannot compile the survey it answered, nor anyone an unknown one: nothing is written.
        PouchCommand.Result refused = pouch.run(work, "survey", "compile", id, "-o", "fr.p7m", "-c", demo("FR-EMB", "marie.dupont"),
                "--store", "fr-store");
        assertThat(refused.exit()).as("%s", refused).isEqualTo(1);
        assertThat(refused.err()).contains("3007 NOT_FOUND");
        assertThat(pouch.run(work, "survey", "compile", "00000000-0000-4000-8000-000000000000", "-o", "x.p7m", "-c", hq, "--store", "hq-store").err())
                .contains("3007 NOT_FOUND");
        assertThat(work.resolve("fr.p7m")).doesNotExist();
        assertThat(work.resolve("x.p7m")).doesNotExist();

        PouchCommand.Result compiled = ok(work, "survey", "compile", id, "-o", "compilation.p7m", "--extract", "unpacked",
                "--share-to", "HQ-GO", "-c", hq, "--store", "hq-store", "--json");
        assertThat(compiled.out()).contains("\"number\":\"商欧函〔2026〕30号-汇总\"", "\"classification\":\"INTERNAL\"",
                "\"targets\":2", "\"respondedOnTime\":1", "\"noResponse\":1", "\"recipients\":[\"HQ-GO\"]");
        assertThat(work.resolve("unpacked/attachments/FR-EMB/报告.docx")).hasSameBinaryContentAs(work.resolve("报告.docx"));
        assertThat(work.resolve("unpacked/report.docx")).exists();
        assertThat(Files.readString(work.resolve("unpacked/manifest.csv"))).contains("FR-EMB", "RESPONDED_ON_TIME", "DE-EMB", "NO_RESPONSE");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".pouch-compile-"));
        }
        PouchCommand.Result again = pouch.run(work, "survey", "compile", id, "-o", "compilation.p7m", "-c", hq, "--store", "hq-store");
        assertThat(again.exit()).as("%s", again).isEqualTo(4);

        // pouch open: the package sealed for HQ-EUR alone, every entry what --extract unpacked.
        // (the CRL the client kept when it compiled: offline commands check revocation with it)
        PouchCommand.Result opened = ok(work, "open", "compilation.p7m", "-o", "opened", "-c", hq, "--crl", "hq-store/exchange-crl.pem",
                "--json");
        assertThat(opened.out()).contains("商欧函〔2026〕30号-汇总", "汇总：关于欧洲电信市场的调研函");
        Path zip;
        try (Stream<Path> files = Files.list(work.resolve("opened"))) {
            zip = files.filter(p -> p.getFileName().toString().endsWith(".zip")).findFirst().orElseThrow();
        }
        assertThat(zip.getFileName().toString()).startsWith("compilation-");
        Map<String, byte[]> entries = entries(zip);
        assertThat(entries).containsKeys("manifest.json", "manifest.csv", "report.docx", "attachments/FR-EMB/报告.docx");
        assertThat(entries.keySet()).anyMatch(n -> n.startsWith("originals/FR-EMB/") && n.endsWith(".p7m"));
        for (var e : entries.entrySet()) {
            assertThat(work.resolve("unpacked").resolve(e.getKey())).as(e.getKey()).hasBinaryContent(e.getValue());
        }

        // OpenSSL alone: decrypts with HQ-EUR's key-agreement key and verifies against the exchange root.
        ok(work, "credentials", "-c", hq, "--export", "hq-keys", "--keys");
        run(work, "openssl", "cms", "-decrypt", "-inform", "DER", "-in", "compilation.p7m", "-recip", "hq-keys/key-agreement.crt",
                "-inkey", "hq-keys/key-agreement.key", "-out", "signed.der");
        run(work, "openssl", "cms", "-verify", "-inform", "DER", "-in", "signed.der", "-CAfile",
                dir.resolve("server/pki/exchange-root.pem").toString(), "-out", "content.bin");
        assertThat(work.resolve("content.bin")).hasSameBinaryContentAs(zip);

        // FR-EMB's key does not open it: it is sealed for HQ-EUR alone.
        PouchCommand.Result notFr = pouch.run(work, "open", "compilation.p7m", "-o", "fr-opened", "-c", demo("FR-EMB", "marie.dupont"),
                "--crl", "hq-store/exchange-crl.pem");
        assertThat(notFr.exit()).as("%s", notFr).isEqualTo(7);

        // Shared onward: HQ-GO receives the package as a REPORT in reply to the survey.
        PouchCommand.Result inbox = ok(work, "inbox", "-c", demo("HQ-GO", "admin"), "--wait", "10", "--store", "go-store");
        assertThat(inbox.out()).contains("商欧函〔2026〕30号-汇总");
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                try (InputStream in = z.getInputStream(entry)) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    private static void run(Path work, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    }
}
