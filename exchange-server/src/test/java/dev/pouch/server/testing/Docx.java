package dev.pouch.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Minimal but genuine Word documents (.docx), built by hand: no Office library in tests. */
public final class Docx {

    public static final String MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private static final String CONTENT_TYPES = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
            <Default Extension="xml" ContentType="application/xml"/>
            <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
            </Types>""";
    private static final String RELS = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
            </Relationships>""";
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
            + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
    private static final String TAIL = "</w:body></w:document>";

    private Docx() {
    }

    /** A document with one paragraph per line of {@code text}. */
    public static byte[] of(String text) {
        return build(out -> {
            StringBuilder body = new StringBuilder(HEAD);
            for (String line : text.split("\n")) {
                body.append("<w:p><w:r><w:t xml:space=\"preserve\">").append(escape(line)).append("</w:t></w:r></w:p>");
            }
            out.write(body.append(TAIL).toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    /**
     * A decompression bomb: a few hundred KiB that inflate to {@code inflatedMiB} MiB of document
     * body, the same word over and over.
     */
    public static byte[] bomb(int inflatedMiB) {
        return build(out -> {
            out.write(HEAD.getBytes(StandardCharsets.UTF_8));
            byte[] paragraph = "<w:p><w:r><w:t>zip</w:t></w:r></w:p>".repeat(1000).getBytes(StandardCharsets.UTF_8);
            long target = (long) inflatedMiB << 20;
            for (long written = 0; written < target; written += paragraph.length) {
                out.write(paragraph);
            }
            out.write(TAIL.getBytes(StandardCharsets.UTF_8));
        });
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private static byte[] build(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(9);
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write(CONTENT_TYPES.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("_rels/.rels"));
            zip.write(RELS.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            body.write(zip);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
