package dev.pouch.server.search;

import java.util.List;
import java.util.Locale;

/**
 * Snippets for people: a window of the text around the first match, HTML-escaped, with every
 * occurrence of a searched word or phrase in {@code <mark>}. Matching ignores case; it is done on
 * the original text, so Chinese (which PostgreSQL's headline functions cannot segment) is marked
 * as well as any other script.
 */
public final class Snippets {

    /** Characters of text in a snippet. */
    public static final int LENGTH = 240;
    /** Characters shown before the first match. */
    public static final int BEFORE = 60;

    private Snippets() {
    }

    /**
     * The snippet of {@code window}, a piece of the text that {@code cutBefore} says does not start
     * at the beginning of the text, and {@code cutAfter} that it does not reach the end.
     */
    public static String of(String window, boolean cutBefore, boolean cutAfter, List<String> terms) {
        String text = window.replaceAll("\\s+", " ").strip();
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(text.length() + 64);
        if (cutBefore) {
            out.append('…');
        }
        int i = 0;
        while (i < text.length()) {
            String found = null;
            for (String t : terms) { // longest first
                String lt = t.toLowerCase(Locale.ROOT);
                if (!lt.isEmpty() && lower.startsWith(lt, i) && lt.length() == t.length()) {
                    found = text.substring(i, i + lt.length());
                    break;
                }
            }
            if (found != null) {
                out.append("<mark>").append(escape(found)).append("</mark>");
                i += found.length();
            } else {
                escape(out, text.charAt(i));
                i++;
            }
        }
        if (cutAfter) {
            out.append('…');
        }
        return out.toString();
    }

    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            escape(b, s.charAt(i));
        }
        return b.toString();
    }

    private static void escape(StringBuilder b, char c) {
        switch (c) {
            case '<' -> b.append("&lt;");
            case '>' -> b.append("&gt;");
            case '&' -> b.append("&amp;");
            case '"' -> b.append("&quot;");
            case '\'' -> b.append("&#39;");
            default -> b.append(c);
        }
    }
}
