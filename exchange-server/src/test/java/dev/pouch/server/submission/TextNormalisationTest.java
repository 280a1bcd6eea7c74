package dev.pouch.server.submission;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Spaces that PDF line wraps put inside Chinese words are removed, and no others. */
class TextNormalisationTest {

    /** The rule, as a regular expression: the reference the fast scan must agree with. */
    private static final Pattern RULE = Pattern.compile("(?<=\\p{IsHan})\\s+(?=\\p{IsHan})");

    @Test
    void spacesBetweenHanCharacters_areRemoved_othersKept() {
        assertThat(AttachmentInspector.normalise("电信 市场\n调研")).isEqualTo("电信市场调研");
        assertThat(AttachmentInspector.normalise("电信 market 市场")).isEqualTo("电信 market 市场");
        assertThat(AttachmentInspector.normalise(" 电信 ")).isEqualTo(" 电信 ");
        assertThat(AttachmentInspector.normalise("a  b\t\nc")).isEqualTo("a  b\t\nc");
        assertThat(AttachmentInspector.normalise("电信，\n市场")).isEqualTo("电信，\n市场"); // punctuation is not Han
        assertThat(AttachmentInspector.normalise("𠀀 𠀁")).isEqualTo("𠀀𠀁"); // beyond the BMP
        assertThat(AttachmentInspector.normalise("")).isEmpty();
    }

    /** (Characters beyond the BMP are left out: Java's look-behind misses some of them, the scan does not.) */
    @Test
    void theScan_agreesWithTheRule_onRandomMixedText() {
        List<String> pieces = List.of("电", "信", "市场", " ", "  ", "\n", "\t", "a", "Marché", "，", "\u3000", "é", "1");
        Random random = new Random(42);
        for (int round = 0; round < 5_000; round++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                b.append(pieces.get(random.nextInt(pieces.size())));
            }
            String text = b.toString();
            assertThat(AttachmentInspector.normalise(text)).as(text).isEqualTo(RULE.matcher(text).replaceAll(""));
        }
    }
}
