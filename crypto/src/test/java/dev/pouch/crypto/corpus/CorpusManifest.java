package dev.pouch.crypto.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The corpus on disk: {@code manifest.csv} (one row per case) and the PEM-armoured CMS files it
 * names, in the {@code -----BEGIN CMS-----} form that {@code openssl cms -inform PEM} reads.
 */
final class CorpusManifest {

    static final String HEADER = "file,kind,opener,expected_error,description,original,part";
    static final String OK = "OK";

    /** What a row asks the test to do with its file. */
    enum Kind {
        /** {@code Opener.open} with the row's opener. */
        SEALED,
        /** Verify as a receipt for {@code original}, which the row's opener opens first. */
        RECEIPT,
        /** {@code Opener.openPart(main, part, bytes)} with {@code original} as the main document. */
        PART
    }

    /**
     * One case.
     *
     * @param expected a {@code CryptoError} name, or {@link #OK} for a control
     * @param original for receipts and parts: the corpus file of the original or main document, else empty
     * @param part     for parts: the index to open the file as, else -1
     */
    record Row(String file, Kind kind, String opener, String expected, String description, String original, int part) {

        boolean isControl() {
            return OK.equals(expected);
        }

        /** A short name for test reports. */
        @Override
        public String toString() {
            return file + (kind == Kind.PART ? "#" + part : "") + " as " + opener + " -> " + expected;
        }
    }

    private CorpusManifest() {
    }

    static List<Row> read(Path manifest) throws IOException {
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalStateException("manifest must start with: " + HEADER);
        }
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = splitCsv(line);
            if (f.size() != 7) {
                throw new IllegalStateException("manifest row needs 7 fields: " + line);
            }
            rows.add(new Row(f.get(0), Kind.valueOf(f.get(1).toUpperCase()), f.get(2), f.get(3), f.get(4), f.get(5),
                    f.get(6).isEmpty() ? -1 : Integer.parseInt(f.get(6))));
        }
        return rows;
    }

    static void write(Path manifest, List<Row> rows) throws IOException {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) {
            out.append(r.file()).append(',').append(r.kind().name().toLowerCase()).append(',').append(r.opener())
                    .append(',').append(r.expected()).append(',').append(quote(r.description())).append(',')
                    .append(r.original()).append(',').append(r.part() < 0 ? "" : String.valueOf(r.part())).append('\n');
        }
        Files.writeString(manifest, out, StandardCharsets.UTF_8);
    }

    /** RFC 4180 fields: commas and quotes inside a quoted field, {@code ""} for a quote. */
    private static List<String> splitCsv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** PEM armour of DER bytes; an empty input gives an empty body, which still reads back as zero bytes. */
    static String armour(byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN CMS-----\n" + (body.isEmpty() ? "" : body + "\n") + "-----END CMS-----\n";
    }

    static byte[] unarmour(String pem) {
        int begin = pem.indexOf("-----BEGIN CMS-----");
        int end = pem.indexOf("-----END CMS-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("not a PEM CMS file");
        }
        return Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN CMS-----".length(), end).strip());
    }

    static byte[] readCase(Path casesDir, String file) throws IOException {
        return unarmour(Files.readString(casesDir.resolve(file), StandardCharsets.US_ASCII));
    }
}
