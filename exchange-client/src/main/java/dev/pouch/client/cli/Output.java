package dev.pouch.client.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a command reports: lines and tables for a person, or with {@code --json} one JSON object on
 * standard output for a script. Progress and warnings go to standard error.
 */
public final class Output {

    @Option(names = "--json", description = "Print the result as one JSON object, for scripts.")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    public boolean json() {
        return json;
    }

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A line for a person (nothing with --json). */
    public void line(String text) {
        if (!json) {
            out().println(text);
            out().flush();
        }
    }

    /** The result: as JSON with --json, else through {@code human}. */
    public void result(Map<String, ?> value, Runnable human) {
        if (json) {
            out().println(Json.write(value));
            out().flush();
        } else {
            human.run();
            out().flush();
        }
    }

    /** Prints rows as a table with aligned columns (widths count CJK characters as two). */
    public void table(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], width(r.get(i)));
            }
        }
        for (List<String> r : all) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                b.append(r.get(i));
                if (i < r.size() - 1) {
                    b.append(" ".repeat(widths[i] - width(r.get(i)) + 2));
                }
            }
            out().println(b.toString().stripTrailing());
        }
        out().flush();
    }

    static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += isWide(cp) ? 2 : 1;
            i += Character.charCount(cp);
        }
        return w;
    }

    private static boolean isWide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    }
}
