package dev.pouch.crypto.seal;

import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.internal.Aes;
import dev.pouch.crypto.testing.Documents;
import dev.pouch.crypto.testing.TestPki;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * Seals a file of the given size as parts and opens it again, streaming to and from files,
 * then prints throughput and peak heap. Run in its own JVM with a small heap
 * ({@code LargeDocumentIT} uses {@code -Xmx256m}): {@code LargeDocumentRoundTrip <dir> <bytes>}.
 */
public final class LargeDocumentRoundTrip {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        Files.createDirectories(dir);
        Path input = dir.resolve("statistics.bin");
        String inputSha = writeInput(input, size);

        TestPki pki = TestPki.create();
        DocumentHeader header = Documents.notice("HQ-EUR", 1, "FR-EMB").attachments(java.util.List.of()).build();
        header = DocumentHeader.builder().documentId(header.documentId()).documentNumber(header.documentNumber())
                .type(header.type()).subject("1 GiB trade statistics").sender(header.sender())
                .actionRecipients(header.actionRecipients())
                .attachment(new Attachment("statistics.bin", "application/octet-stream", size)).build();

        java.util.concurrent.atomic.AtomicLong peakUsed = new java.util.concurrent.atomic.AtomicLong();
        Thread sampler = new Thread(() -> {
            Runtime rt = Runtime.getRuntime();
            while (!Thread.currentThread().isInterrupted()) {
                peakUsed.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long t0 = System.nanoTime();
        SealedParts parts = pki.sealer("HQ-EUR").sealParts(header, input, pki.recipients("FR-EMB"), dir.resolve("parts"));
        long t1 = System.nanoTime();
        Opener opener = pki.opener("FR-EMB");
        OpenedDocument main = opener.open(parts.main().encoded(), ValidationTime.now());
        Path output = dir.resolve("opened.bin");
        opener.openParts(main, parts.partFiles(), output);
        long t2 = System.nanoTime();

        String outputSha = sha256(output);
        sampler.interrupt();
        double mb = size / 1e6;
        System.out.printf("parts=%d seal=%.0f MB/s open=%.0f MB/s maxHeap=%d MiB peakHeapUsed(sampled)=%d MiB%n",
                parts.partFiles().size(), mb / ((t1 - t0) / 1e9), mb / ((t2 - t1) / 1e9),
                Runtime.getRuntime().maxMemory() >> 20, peakUsed.get() >> 20);
        if (!inputSha.equals(outputSha)) {
            System.out.println("MISMATCH " + inputSha + " != " + outputSha);
            System.exit(1);
        }
        System.out.println("OK sha256=" + outputSha);
    }

    private static String writeInput(Path file, long size) throws IOException {
        byte[] block = new byte[1 << 20];
        new Random(42).nextBytes(block);
        MessageDigest digest = Aes.sha256();
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0, i = 0; written < size; i++) {
                block[0] = (byte) i;
                block[1] = (byte) (i >>> 8);
                int n = (int) Math.min(block.length, size - written);
                out.write(block, 0, n);
                digest.update(block, 0, n);
                written += n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = Aes.sha256();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
