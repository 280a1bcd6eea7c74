package dev.pouch.server.submission;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.config.PouchProperties;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.microsoft.OfficeParserConfig;
import org.apache.tika.sax.ContentHandlerDecorator;
import org.apache.tika.sax.SecureContentHandler;
import org.apache.tika.sax.WriteOutContentHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reads attachments as the archive stores them: the type is detected from the content (the file
 * name is only a hint Tika cannot be fooled by), programs are refused, a declared type the content
 * contradicts is refused, and text is extracted for search.
 *
 * <p>Extraction is bounded: at most {@code concurrency} parses at a time on their own threads,
 * each given {@code timeout} (after which it is interrupted, stops at its next SAX event, and
 * the attachment is indexed with the text read so far), output capped at
 * {@code maxTextCharacters}, Office files read as streams rather than built in memory, and
 * decompression bombs stopped by Tika's {@link SecureContentHandler}. A hostile file costs at most one parser thread for a while; it
 * cannot stop submissions or take the server down.
 */
@Component
public class AttachmentInspector {

    private static final Logger log = LoggerFactory.getLogger(AttachmentInspector.class);
    /** Attachments larger than this are typed but not parsed for text. */
    static final long MAX_PARSED_SIZE = 64L << 20;

    /** Types the exchange never carries: programs and scripts. */
    static final Set<String> REFUSED = Set.of(
            "application/x-dosexec", "application/x-msdownload", "application/x-executable", "application/x-sharedlib",
            "application/x-elf", "application/x-object", "application/x-mach-o-executable", "application/x-mach-o-dylib",
            "application/x-mach-o-bundle", "application/x-mach-o", "application/x-msdos-program",
            "application/vnd.microsoft.portable-executable", "application/x-ms-installer", "application/x-msi",
            "application/java-archive", "application/java-vm", "application/x-java-jnlp-file", "application/x-sh",
            "application/x-shellscript", "application/x-bat", "application/x-csh", "text/x-python", "application/x-python",
            "text/javascript", "application/javascript", "text/vbscript", "application/x-vbscript", "application/x-apple-diskimage");

    /** What inspecting one attachment found. */
    public record Result(String detectedType, String text, boolean truncated) {
    }

    private final TikaConfig tika = TikaConfig.getDefaultConfig();
    private final Detector detector = tika.getDetector();
    private final MediaTypeRegistry registry = tika.getMediaTypeRegistry();
    private final Parser byType = tika.getParser();
    private final AutoDetectParser parser = new AutoDetectParser(tika);
    private final ExecutorService parsers;
    private final PouchProperties.Inspection limits;

    public AttachmentInspector(PouchProperties properties) {
        this.limits = properties.inspection();
        this.parsers = Executors.newFixedThreadPool(limits.concurrency(), r -> {
            Thread t = new Thread(r, "pouch-tika");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Checks one attachment and extracts its text. {@code content} opens the attachment's bytes
     * afresh each time it is called.
     *
     * @throws ProtocolException {@code FILE_TYPE_REFUSED} or {@code CONTENT_TYPE_MISMATCH}
     */
    public Result inspect(Attachment attachment, Supplier<InputStream> content, int textBudget) {
        MediaType detected = detect(attachment, content);
        String base = detected.getBaseType().toString();
        if (REFUSED.contains(base) || registry.isSpecializationOf(detected, MediaType.application("x-executable"))) {
            throw new ProtocolException(ErrorCode.FILE_TYPE_REFUSED,
                    "attachment '" + attachment.name() + "' is a program or script (" + base + ")");
        }
        MediaType declared = MediaType.parse(attachment.mediaType());
        if (declared == null || !compatible(declared.getBaseType(), detected.getBaseType())) {
            throw new ProtocolException(ErrorCode.CONTENT_TYPE_MISMATCH,
                    "attachment '" + attachment.name() + "' declares " + attachment.mediaType() + " but its content is " + base);
        }
        if (attachment.size() > MAX_PARSED_SIZE || textBudget <= 0) {
            return new Result(base, "", attachment.size() > MAX_PARSED_SIZE);
        }
        if (base.equals("text/plain")) {
            Result plain = plainUtf8(content, textBudget);
            if (plain != null) {
                return plain;
            }
        }
        return extract(attachment, content, base, textBudget);
    }

    /**
     * Plain text that is valid UTF-8 — most letters' bodies — is its own text: decoding it directly
     * spares Tika's charset guessing and CSV sniffing, which cost more than everything else in a
     * submission. Null if the bytes are not UTF-8 (Tika then guesses the charset).
     */
    private static Result plainUtf8(Supplier<InputStream> content, int textBudget) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        try (Reader in = new InputStreamReader(content.get(), decoder)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                int room = textBudget - text.length();
                if (n > room) {
                    text.append(buffer, 0, room);
                    return new Result("text/plain", normalise(text.toString()), true);
                }
                text.append(buffer, 0, n);
            }
        } catch (CharacterCodingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result("text/plain", normalise(text.toString()), false);
    }

    private MediaType detect(Attachment attachment, Supplier<InputStream> content) {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, attachment.name());
        try (TikaInputStream in = TikaInputStream.get(content.get())) {
            return detector.detect(in, metadata);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.CONTENT_TYPE_MISMATCH, "attachment '" + attachment.name() + "' cannot be read");
        }
    }

    boolean compatible(MediaType declared, MediaType detected) {
        return declared.equals(MediaType.OCTET_STREAM)
                || declared.equals(detected)
                || registry.isSpecializationOf(detected, declared)
                || registry.isSpecializationOf(declared, detected)
                || (declared.getType().equals("text") && detected.equals(MediaType.TEXT_PLAIN));
    }

    private Result extract(Attachment attachment, Supplier<InputStream> content, String type, int textBudget) {
        WriteOutContentHandler text = new WriteOutContentHandler(Math.min(textBudget, limits.maxTextCharacters()));
        Future<Boolean> parse = parsers.submit(() -> {
            Metadata metadata = new Metadata();
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, attachment.name());
            metadata.set(Metadata.CONTENT_TYPE, type); // detected once already: the composite parser picks by it
            try (TikaInputStream in = TikaInputStream.get(content.get())) {
                SecureContentHandler guard = new SecureContentHandler(new StopWhenInterrupted(text), in);
                try {
                    byType.parse(in, guard, metadata, parseContext());
                    return false;
                } catch (org.xml.sax.SAXException e) {
                    guard.throwIfCauseOf(e);
                    throw e;
                }
            } catch (Exception e) {
                if (WriteLimitReachedException.isWriteLimitReached(e)) {
                    return true;
                }
                throw e;
            }
        });
        boolean truncated;
        try {
            truncated = parse.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            parse.cancel(true);
            log.warn("text extraction of '{}' ({}) exceeded {}; indexed without its remaining text", attachment.name(), type, limits.timeout());
            truncated = true;
        } catch (ExecutionException e) {
            log.info("no text from '{}' ({}): {}", attachment.name(), type, e.getCause().toString());
            return new Result(type, "", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProtocolException(ErrorCode.SHUTTING_DOWN, "interrupted");
        }
        return new Result(type, normalise(text.toString()), truncated);
    }

    /**
     * Streaming (SAX) extraction for Word and PowerPoint files: the default builds the whole
     * document in memory, which a 200 KiB decompression bomb turns into gigabytes of heap.
     */
    private ParseContext parseContext() {
        OfficeParserConfig office = new OfficeParserConfig();
        office.setUseSAXDocxExtractor(true);
        office.setUseSAXPptxExtractor(true);
        ParseContext context = new ParseContext();
        context.set(OfficeParserConfig.class, office);
        context.set(Parser.class, parser); // embedded files (in archives, in Office files) are detected and parsed too
        return context;
    }

    /**
     * Ends a parse whose thread was interrupted (its time is up): parsers do not look at the
     * interrupt flag, but they keep calling the content handler.
     */
    static final class StopWhenInterrupted extends ContentHandlerDecorator {
        StopWhenInterrupted(ContentHandler handler) {
            super(handler);
        }

        private static void check() throws SAXException {
            if (Thread.currentThread().isInterrupted()) {
                throw new SAXException("text extraction stopped: its time was up");
            }
        }

        @Override
        public void startElement(String uri, String localName, String name, Attributes atts) throws SAXException {
            check();
            super.startElement(uri, localName, name, atts);
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            check();
            super.characters(ch, start, length);
        }
    }

    /** PDF line wraps put spaces inside Chinese words; searching needs them gone. */
    static String normalise(String text) {
        // A hand-written scan: the equivalent look-around regex cost more than the rest of a submission.
        StringBuilder out = null;
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!isSpace(text.charAt(i))) {
                if (out != null) {
                    out.append(text.charAt(i));
                }
                i++;
                continue;
            }
            int end = i;
            while (end < n && isSpace(text.charAt(end))) {
                end++;
            }
            boolean betweenHan = i > 0 && end < n && isHan(text.codePointBefore(i)) && isHan(text.codePointAt(end));
            if (betweenHan && out == null) {
                out = new StringBuilder(n).append(text, 0, i);
            } else if (!betweenHan && out != null) {
                out.append(text, i, end);
            }
            i = end;
        }
        return out == null ? text : out.toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean isHan(int codePoint) {
        return codePoint >= 0x2E80 && Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HAN;
    }
}
