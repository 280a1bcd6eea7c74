package dev.pouch.crypto.bench;

import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.seal.CmsOpener;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Sealing and opening on one thread (one core): a document to one office plus the archive, at
 * 16 KiB and 1 MiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@Threads(1)
public class SealBenchmark {

    @Param({"16384", "1048576"})
    public int size;

    private CmsSealer sealer;
    private CmsOpener opener;
    private List<X509Certificate> recipients;
    private DocumentHeader header;
    private byte[] content;
    private byte[] sealed;

    @Setup(Level.Trial)
    public void setUp() {
        TestPki pki = TestPki.create();
        sealer = pki.sealer("HQ-EUR");
        opener = pki.opener("FR-EMB");
        recipients = pki.recipients("FR-EMB");
        content = Documents.content(size);
        header = Documents.notice("HQ-EUR", size, "FR-EMB").build();
        sealed = sealer.seal(header, content, recipients).encoded();
    }

    /** A fresh document id per seal, as in real use. */
    @Benchmark
    public byte[] seal() {
        DocumentHeader h = DocumentHeader.builder().documentId(UUID.randomUUID()).documentNumber(header.documentNumber())
                .type(header.type()).subject(header.subject()).sender(header.sender())
                .actionRecipients(header.actionRecipients()).attachments(header.attachments()).build();
        return sealer.seal(h, content, recipients).encoded();
    }

    @Benchmark
    public Object open() {
        return opener.open(sealed, ValidationTime.now());
    }
}
