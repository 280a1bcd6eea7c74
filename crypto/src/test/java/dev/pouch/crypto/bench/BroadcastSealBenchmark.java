package dev.pouch.crypto.bench;

import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.seal.CmsSealer;
import dev.pouch.crypto.testing.Documents;
import dev.pouch.crypto.testing.TestPki;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One 16 KiB notice sealed to every overseas office of the demo directory (207) plus the archive,
 * on one thread. Target: at most 100 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class BroadcastSealBenchmark {

    private CmsSealer sealer;
    private List<X509Certificate> recipients;
    private DocumentHeader header;
    private byte[] content;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        TestPki pki = TestPki.create();
        List<String> offices = offices();
        sealer = pki.sealer("HQ-EUR");
        recipients = pki.recipients(offices.toArray(String[]::new));
        content = Documents.content(16 * 1024);
        header = Documents.notice("HQ-EUR", content.length, offices.get(0))
                .actionRecipients(offices.subList(1, offices.size()).stream().map(OrgCode::of).toList()).build();
        if (header.allRecipients().size() != 207 || recipients.size() != 208) {
            throw new IllegalStateException("expected 207 offices plus the archive");
        }
    }

    @Benchmark
    public byte[] sealToAllOfficesAndArchive() {
        return sealer.seal(header, content, recipients).encoded();
    }

    static List<String> offices() throws IOException {
        Path csv = Path.of("..", "..", "shared", "data", "organizations.csv");
        if (!Files.exists(csv)) {
            csv = Path.of("..", "shared", "data", "organizations.csv");
        }
        List<String> codes = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",", 3);
            if (f.length > 1 && f[1].equals("OVERSEAS_OFFICE")) {
                codes.add(f[0]);
            }
        }
        return codes;
    }
}
