package dev.pouch.server.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How text becomes search terms, the same way at ingest and at query time. PostgreSQL's parser
 * does not segment Chinese (a run of Han characters is one "word"), so every run of CJK characters
 * is replaced by its overlapping bigrams — 电信市场 becomes 电信 信市 市场 — and a query for any two
 * or more adjacent characters of the run then finds it. Everything else is left to PostgreSQL's
 * {@code simple} configuration with {@code unaccent}.
 */
public final class SearchText {

    /** Characters of a document's text the index covers (a tsvector holds at most 1 MB). */
    public static final int MAX_INDEXED_CHARACTERS = 200_000;

    private SearchText() {
    }

    /** {@code text} with every CJK run written as its overlapping bigrams (a lone character stays as it is). */
    public static String bigrams(String text) {
        StringBuilder out = new StringBuilder(text.length() * 2);
        int n = text.length();
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!isCjk(cp)) {
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (i < n && isCjk(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            appendBigrams(out, text.substring(start, i));
        }
        return out.toString();
    }

    private static void appendBigrams(StringBuilder out, String run) {
        int[] cps = run.codePoints().toArray();
        out.append(' ');
        if (cps.length == 1) {
            out.appendCodePoint(cps[0]).append(' ');
            return;
        }
        for (int k = 0; k + 1 < cps.length; k++) {
            out.appendCodePoint(cps[k]).appendCodePoint(cps[k + 1]).append(' ');
        }
    }

    /** Han ideographs, kana and Hangul: scripts written without spaces between words. */
    public static boolean isCjk(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA
                || s == Character.UnicodeScript.HANGUL;
    }

    /**
     * A document number (文号) as it is compared: without spaces, brackets of every kind written
     * as one, case folded — 商欧函〔2026〕12号, 商欧函[2026]12号 and 商欧函（2026）12号 are the same number.
     */
    public static String numberKey(String number) {
        StringBuilder b = new StringBuilder(number.length());
        number.strip().codePoints().forEach(cp -> {
            if (Character.isWhitespace(cp)) {
                return;
            }
            switch (cp) {
                case '〔', '[', '(', '（', '【', '［', '〖' -> b.append('[');
                case '〕', ']', ')', '）', '】', '］', '〗' -> b.append(']');
                default -> b.appendCodePoint(cp);
            }
        });
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The CJK runs of three or more characters in {@code text}: their bigrams all being present
     * does not mean the run is, so each is checked as a phrase.
     */
    public static List<String> longCjkRuns(String text) {
        List<String> runs = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!isCjk(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
                continue;
            }
            int start = i;
            while (i < n && isCjk(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            String run = text.substring(start, i);
            if (run.codePointCount(0, run.length()) >= 3) {
                runs.add(run);
            }
        }
        return runs;
    }

    /** {@code text} with each of its {@link #longCjkRuns} replaced by a space. */
    public static String withoutLongCjkRuns(String text) {
        String rest = text;
        for (String run : longCjkRuns(text)) {
            rest = rest.replace(run, " ");
        }
        return rest.strip();
    }

    /** Whether {@code text} has a CJK run of exactly one character (which the bigram index cannot find). */
    public static boolean hasLoneCjkCharacter(String text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!isCjk(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int count = 0;
            while (i < n && isCjk(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
                count++;
            }
            if (count == 1) {
                return true;
            }
        }
        return false;
    }

    /** A LIKE pattern matching {@code phrase} anywhere, its wildcards escaped (backslash is LIKE's escape). */
    public static String containsPattern(String phrase) {
        return "%" + phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** The first {@link #MAX_INDEXED_CHARACTERS} characters, not cutting a surrogate pair. */
    public static String indexed(String text) {
        if (text.length() <= MAX_INDEXED_CHARACTERS) {
            return text;
        }
        int end = MAX_INDEXED_CHARACTERS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}
