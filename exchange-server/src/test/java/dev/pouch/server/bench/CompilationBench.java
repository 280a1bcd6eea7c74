package dev.pouch.server.bench;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.lang.management.ManagementFactory;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipFile;

/**
 * Survey compilation benchmark, run as a program against a real server in this JVM: HQ-EUR sends
 * a survey to OFFICES overseas offices (default all 207), each answers with a report of BYTES
 * bytes (default 1 MiB, text), then the compilation is fetched over HTTPS and timed, with the
 * JVM's heap and resident size sampled every 20 ms while it runs (the offices are disconnected
 * and a GC done first, so what grows is the compilation's). Arguments starting with {@code --}
 * go to the server.
 * <pre>
 * ./mvnw -o -pl exchange-server -am -Pserver-bench test-compile exec:exec \
 *     -Dbench.main=dev.pouch.server.bench.CompilationBench -Dbench.args="207 1048576" -Dbench.jvm=-Xmx512m
 * </pre>
 */
public final class CompilationBench {

    private CompilationBench() {
    }

    public static void main(String[] args) throws Exception {
        String[] serverArgs = Arrays.stream(args).filter(a -> a.startsWith("--")).toArray(String[]::new);
        args = Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 207;
        int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 1 << 20;
        Path dir = TestServer.tempDir();
        try (TestServer server = TestServer.start(dir, serverArgs)) {
            run(server, count, bytes);
        } finally {
            TestServer.deleteTree(dir);
        }
        System.exit(0);
    }

    private static void run(TestServer server, int count, int bytes) throws Exception {
        List<String> offices = server.bean(Directory.class).all().stream().map(o -> o.code().value())
                .filter(c -> !c.startsWith("HQ-")).limit(count).toList();
        System.out.printf("enrolling HQ-EUR and %d offices...%n", offices.size());
        TestOffice.Keys hqKeys = server.enrol("HQ-EUR", "bench");
        List<TestOffice.Keys> keys = offices.stream().map(o -> server.enrol(o, "officer")).toList();
        TestOffice hq = server.connect(hqKeys).awaitConnected();
        byte[] letter = "请报送所在国电信市场调研报告。Please report on the telecom market.\n".getBytes(StandardCharsets.UTF_8);
        DocumentHeader survey = Letters.header("HQ-EUR", offices, Precedence.ROUTINE, Classification.INTERNAL)
                .type(DocumentType.SURVEY_REQUEST).deadline(Instant.now().plus(Duration.ofDays(7)))
                .attachment(new Attachment("调研函.txt", "text/plain", letter.length)).build();
        hq.send(survey, letter);
        hq.close();

        byte[] report = Letters.text(bytes).substring(0, bytes).getBytes(StandardCharsets.UTF_8);
        System.out.printf("%d offices answer with %d bytes each...%n", offices.size(), report.length);
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (TestOffice.Keys k : keys) {
                done.add(pool.submit(() -> {
                    try (TestOffice office = server.connect(k).awaitConnected()) {
                        DocumentHeader h = Letters.header(k.organization().value(), List.of("HQ-EUR"), Precedence.ROUTINE,
                                Classification.INTERNAL).type(DocumentType.REPORT).inReplyTo(survey.documentId())
                                .subject(k.organization().value() + " 电信市场调研报告")
                                .attachment(new Attachment("report.txt", "text/plain", report.length)).build();
                        office.send(h, report);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        server.closeOffices();
        System.out.printf(Locale.ROOT, "responses accepted in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        floors(server, survey.documentId());
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(500);
            long heap0 = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long rss0 = rss();
            AtomicLong heapPeak = new AtomicLong(heap0);
            AtomicLong livePeak = new AtomicLong(live());
            long live0 = livePeak.get();
            AtomicLong rssPeak = new AtomicLong(rss0);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    heapPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    livePeak.accumulateAndGet(live(), Math::max);
                    rssPeak.accumulateAndGet(rss(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Path zip = Files.createTempFile("compilation", ".zip");
            long start = System.nanoTime();
            HttpResponse<java.io.InputStream> r = download(server, hqKeys.tls(), "/api/surveys/" + survey.documentId() + "/compilation");
            double built = (System.nanoTime() - start) / 1e9; // the package is built before the first byte is sent
            try (java.io.InputStream in = r.body()) {
                Files.copy(in, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            running.set(false);
            sampler.join();
            long size = Files.size(zip);
            int originals;
            try (ZipFile z = new ZipFile(zip.toFile())) {
                originals = (int) z.stream().filter(e -> e.getName().startsWith("originals/")).count();
            }
            Files.delete(zip);
            System.out.printf(Locale.ROOT, "round %d: HTTP %d, %d originals, package %.1f MiB built in %.2f s, received after %.2f s"
                            + " (%.1f MiB/s); heap used before %.0f MiB, peak %.0f MiB (+%.0f); live after GC before %.0f MiB,"
                            + " peak %.0f MiB (+%.0f); RSS before %.0f MiB, peak %.0f MiB (+%.0f); max heap %.0f MiB%n",
                    round, r.statusCode(), originals, size / 1048576.0, built, seconds, size / 1048576.0 / seconds, heap0 / 1048576.0,
                    heapPeak.get() / 1048576.0, (heapPeak.get() - heap0) / 1048576.0, live0 / 1048576.0, livePeak.get() / 1048576.0,
                    (livePeak.get() - live0) / 1048576.0, rss0 / 1048576.0, rssPeak.get() / 1048576.0,
                    (rssPeak.get() - rss0) / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
        }
    }

    /**
     * The floors, in the same run: reading every response's stored object from PostgreSQL, and that
     * plus opening it with the archive key (decrypt, verify the signature, validate the chain).
     */
    private static void floors(TestServer server, UUID surveyId) {
        List<java.util.Map<String, Object>> rows = server.jdbc().queryForList(
                "SELECT main_blob, accepted_at FROM document WHERE in_reply_to = ? AND type = 'REPORT'", surveyId);
        var blobs = server.bean(dev.pouch.server.archive.BlobStore.class);
        var pki = server.bean(dev.pouch.server.pki.ExchangePki.class);
        var archive = dev.pouch.crypto.seal.CmsOpener.builder().recipient(pki.archive()).validator(pki.validator())
                .maxSealedSize(64L << 20).build();
        long t0 = System.nanoTime();
        for (var row : rows) {
            blobs.read((UUID) row.get("main_blob"));
        }
        double read = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        for (var row : rows) {
            archive.open(blobs.read((UUID) row.get("main_blob")),
                    dev.pouch.crypto.ValidationTime.recordedByExchange(((java.sql.Timestamp) row.get("accepted_at")).toInstant()));
        }
        double open = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "floors, %d responses: read from PostgreSQL %.2f s; read and open with the archive key %.2f s%n",
                rows.size(), read, open);
    }

    /** The heap in use right after the last collection (the live set, garbage excluded), summed over the heap pools. */
    private static long live() {
        long sum = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                sum += pool.getCollectionUsage().getUsed();
            }
        }
        return sum;
    }

    /** Resident set size of this process, from /proc (0 where there is none). */
    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return 0;
    }

    private static HttpResponse<java.io.InputStream> download(TestServer server, KeyCredential tls, String path) throws Exception {
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
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).build(); // not closed here: the body is still to be read
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.httpsPort() + path))
                .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }
}
