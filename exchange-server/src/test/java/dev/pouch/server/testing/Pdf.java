package dev.pouch.server.testing;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Genuine PDF files with real text (PDFBox, which Tika brings along), in DejaVu Sans: Latin,
 * Cyrillic and Arabic. No CJK font is installed on these machines, so Chinese goes in .docx and .xlsx.
 */
public final class Pdf {

    public static final String MEDIA_TYPE = "application/pdf";
    private static final Path FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

    private Pdf() {
    }

    /** Whether the font these PDFs are written in is installed. */
    public static boolean available() {
        return Files.isReadable(FONT);
    }

    /**
     * A right-to-left line in visual order, as PDF producers write it (glyphs left to right on the
     * page); a reader's text extraction puts it back in logical order. Other lines are unchanged.
     */
    static String visual(String line) {
        boolean rtl = line.codePoints().anyMatch(cp -> Character.getDirectionality(cp) == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC);
        return rtl ? new StringBuilder(line).reverse().toString() : line;
    }

    /** One page, one line of text per line of {@code text}. */
    public static byte[] of(String text) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            PDType0Font font = PDType0Font.load(doc, FONT.toFile());
            try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                s.beginText();
                s.setFont(font, 11);
                s.setLeading(14);
                s.newLineAtOffset(50, 720);
                for (String line : text.split("\n")) {
                    s.showText(visual(line));
                    s.newLine();
                }
                s.endText();
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
