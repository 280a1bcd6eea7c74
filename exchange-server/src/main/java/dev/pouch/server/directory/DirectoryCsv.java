package dev.pouch.server.directory;

import dev.pouch.crypto.document.OrgCode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the organization directory CSV ({@code code,kind,region,country,city,name_zh,name_en,timezone},
 * RFC 4180 quoting). A malformed line stops start-up with its line number.
 */
final class DirectoryCsv {

    private static final String HEADER = "code,kind,region,country,city,name_zh,name_en,timezone";

    private DirectoryCsv() {
    }

    static List<Organization> read(InputStream in, String source) throws IOException {
        List<Organization> result = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (header == null || !header.strip().replace("\uFEFF", "").equals(HEADER)) {
                throw new IllegalStateException(source + ": expected the header '" + HEADER + "'");
            }
            String line;
            int number = 1;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> f = fields(line);
                if (f.size() != 8) {
                    throw new IllegalStateException(source + " line " + number + ": expected 8 fields, found " + f.size());
                }
                try {
                    result.add(new Organization(OrgCode.of(f.get(0)), Organization.Kind.valueOf(f.get(1)), Region.valueOf(f.get(2)),
                            f.get(3), f.get(4), f.get(5), f.get(6), ZoneId.of(f.get(7))));
                } catch (RuntimeException e) {
                    throw new IllegalStateException(source + " line " + number + ": " + e.getMessage(), e);
                }
            }
        }
        return result;
    }

    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    current.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }
}
