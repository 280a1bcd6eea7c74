package dev.pouch.client.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Files for the documents the bench sends: plain text (a notice) or CSV (a statistics file),
 * each different, of an exact size, written with their SHA-256 so that what arrives can be
 * compared with what was sent.
 */
final class Content {

    private static final String[] WORDS = {"ministry", "office", "report", "trade", "statistics", "market", "survey", "notice",
        "请", "各驻外机构", "报送", "调研", "telecommunications", "agreement", "delegation", "schedule", "budget", "按时"};
    private static final String[] PRODUCTS = {"电信设备", "machinery", "textiles", "electronics", "chemicals", "vehicles"};
    private static final int CHUNK = 1 << 20;

    private Content() {
    }

    /** A text notice of exactly {@code size} bytes of valid UTF-8, starting with its id; returns its SHA-256. */
    static byte[] notice(Path file, String id, int size, SplittableRandom random) throws IOException {
        StringBuilder b = new StringBuilder(size + 64).append("Document ").append(id).append('\n');
        while (b.length() < size) {
            b.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(12) == 0 ? '\n' : ' ');
        }
        byte[] bytes = exactUtf8(b.toString().getBytes(StandardCharsets.UTF_8), size);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return sha256().digest(bytes);
    }

    /**
     * UTF-8 text cut to {@code size} bytes (it must be at least that long); a character the
     * cut would split becomes spaces, so the result stays valid UTF-8 — which the exchange reads
     * directly, anything else going through slower charset detection.
     */
    static byte[] exactUtf8(byte[] utf8, int size) {
        byte[] bytes = Arrays.copyOf(utf8, size);
        int lead = size - 1;
        while (lead > 0 && (bytes[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if ((bytes[lead] & 0xC0) == 0xC0) {
            int length = (bytes[lead] & 0xE0) == 0xC0 ? 2 : (bytes[lead] & 0xF0) == 0xE0 ? 3 : 4;
            if (lead + length > size) {
                Arrays.fill(bytes, lead, size, (byte) ' ');
            }
        }
        return bytes;
    }

    /** A CSV statistics file of exactly {@code size} bytes, written in chunks; returns its SHA-256. */
    static byte[] statistics(Path file, long size, SplittableRandom random) throws IOException {
        MessageDigest md = sha256();
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            StringBuilder rows = new StringBuilder(CHUNK + 128).append("country,month,row,product,value\n");
            long written = 0;
            for (long row = 0; written < size; ) {
                while (rows.length() < CHUNK) {
                    rows.append("DE,2026-10,").append(row++).append(',').append(PRODUCTS[random.nextInt(PRODUCTS.length)])
                            .append(',').append(random.nextInt(10_000_000) / 100.0).append('\n');
                }
                byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                if (bytes.length > size - written) {
                    bytes = exactUtf8(bytes, (int) (size - written));
                }
                out.write(bytes);
                md.update(bytes);
                written += bytes.length;
                rows.setLength(0);
            }
        }
        return md.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
