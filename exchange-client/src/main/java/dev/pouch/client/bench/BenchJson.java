package dev.pouch.client.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little JSON the load generator needs: writing its report (maps, lists, strings, numbers)
 * and reading a field or two from the exchange's REST answers. Not a general parser.
 */
final class BenchJson {

    private BenchJson() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.toString();
    }

    private static void write(Object v, StringBuilder out, int indent) {
        switch (v) {
            case null -> out.append("null");
            case String s -> out.append(quote(s));
            case Boolean b -> out.append(b);
            case Double d -> out.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", d));
            case Float f -> write(f.doubleValue(), out, indent);
            case Number n -> out.append(n);
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    out.append("{}");
                    return;
                }
                out.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.append("  ".repeat(indent + 1)).append(quote(String.valueOf(e.getKey()))).append(": ");
                    write(e.getValue(), out, indent + 1);
                    out.append(++i < m.size() ? ",\n" : "\n");
                }
                out.append("  ".repeat(indent)).append('}');
            }
            case Collection<?> c -> {
                out.append('[');
                int i = 0;
                for (Object o : c) {
                    write(o, out, indent + 1);
                    if (++i < c.size()) {
                        out.append(", ");
                    }
                }
                out.append(']');
            }
            default -> out.append(quote(v.toString()));
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** The value of the first string field {@code name} in {@code json}. */
    static Optional<String> stringField(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"").matcher(json);
        if (!m.find()) {
            return Optional.empty();
        }
        // Scanned, not matched: a regular expression over a long value (a PEM chain) recurses too deep.
        StringBuilder raw = new StringBuilder();
        for (int i = m.end(); i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                return Optional.of(unescape(raw.toString()));
            }
            raw.append(c);
            if (c == '\\' && i + 1 < json.length()) {
                raw.append(json.charAt(++i));
            }
        }
        return Optional.empty();
    }

    /** In an actuator metric, the value of a measurement ({@code COUNT}, {@code TOTAL_TIME}, {@code VALUE}). */
    static Optional<Double> measurement(String json, String statistic) {
        Matcher m = Pattern.compile("\"statistic\"\\s*:\\s*\"" + Pattern.quote(statistic)
                + "\"\\s*,\\s*\"value\"\\s*:\\s*([-0-9.eE+]+)").matcher(json);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(n);
            }
        }
        return b.toString();
    }
}
