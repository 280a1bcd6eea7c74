package dev.pouch.client;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A survey's compilation package (汇总) as the exchange sends it: a zip with the responses' sealed
 * originals, their opened attachments, {@code manifest.json}/{@code .csv} and {@code report.docx}.
 * Here it is read, described as the document the requesting department keeps (sealed for itself
 * alone) or shares onward, and unpacked.
 */
public final class SurveyCompilation {

    public static final String MEDIA_TYPE = "application/zip";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long MAX_MANIFEST = 64L << 20;

    /** What the package's manifest says about the survey and its answers. */
    public record Summary(UUID surveyId, String surveyNumber, String subject, Classification classification, boolean withdrawn,
            int targets, int onTime, int late, int noResponse) {
    }

    private SurveyCompilation() {
    }

    /** Reads {@code manifest.json} of a downloaded package. */
    public static Summary read(Path zip) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry entry = z.getEntry("manifest.json");
            if (entry == null) {
                throw new ClientException(ClientException.Kind.VERIFICATION, zip.getFileName() + " holds no manifest.json:"
                        + " it is not a compilation package");
            }
            JsonNode m;
            try (InputStream in = z.getInputStream(entry)) {
                m = JSON.readTree(in.readNBytes((int) MAX_MANIFEST));
            }
            JsonNode s = m.path("survey");
            JsonNode c = m.path("counts");
            return new Summary(UUID.fromString(s.path("id").asString()), s.path("number").asString(), s.path("subject").asString(),
                    Classification.valueOf(m.path("classification").asString()), "WITHDRAWN".equals(s.path("state").asString()),
                    c.path("targets").asInt(), c.path("respondedOnTime").asInt(), c.path("respondedLate").asInt(),
                    c.path("noResponse").asInt());
        } catch (IOException | RuntimeException e) {
            if (e instanceof ClientException ce) {
                throw ce;
            }
            throw new ClientException(ClientException.Kind.VERIFICATION, "cannot read the compilation package " + zip.getFileName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The compilation's document number: the survey's, marked as its compilation. */
    public static String number(String surveyNumber) {
        String n = surveyNumber + "-汇总";
        return n.length() <= DocumentHeader.MAX_NUMBER_LENGTH ? n : n.substring(n.length() - DocumentHeader.MAX_NUMBER_LENGTH);
    }

    /** The package's file name: {@code compilation-<number>.zip}, the number's letters and digits kept. */
    public static String fileName(String surveyNumber) {
        StringBuilder b = new StringBuilder("compilation-");
        surveyNumber.codePoints().forEach(cp -> b.appendCodePoint(Character.isLetterOrDigit(cp) ? cp : '-'));
        return b.toString().replaceAll("-{2,}", "-").replaceAll("-$", "") + ".zip";
    }

    /** The subject: 汇总：<the survey's subject>. */
    public static String subject(Summary s) {
        String subject = "汇总：" + s.subject();
        return subject.length() <= DocumentHeader.MAX_SUBJECT_LENGTH ? subject : subject.substring(0, DocumentHeader.MAX_SUBJECT_LENGTH);
    }

    /**
     * The header of the document {@code organization} keeps: a REPORT in reply to the survey, for
     * itself alone, classified as the highest of the survey and its responses, the package its one
     * attachment.
     */
    public static DocumentHeader keptHeader(OrgCode organization, Summary s, String number, Path zip) throws IOException {
        return DocumentHeader.builder().documentId(UUID.randomUUID()).documentNumber(number).type(DocumentType.REPORT)
                .subject(subject(s)).sender(organization).actionRecipient(organization).classification(s.classification())
                .inReplyTo(s.surveyId()).attachment(new Attachment(zip.getFileName().toString(), MEDIA_TYPE, Files.size(zip)))
                .build();
    }

    /** Unpacks the package into {@code dir}; an entry that would land outside it is refused. Returns the files written. */
    public static int extract(Path zip, Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        int written = 0;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Files.createDirectories(root);
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new ClientException(ClientException.Kind.VERIFICATION, "the package names a file outside its folder: "
                            + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                if (Files.exists(target)) {
                    throw new ClientException(ClientException.Kind.INVALID_INPUT, target + " exists already; extract into an empty folder");
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = z.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                written++;
            }
            return written;
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot extract into " + dir + ": " + e.getMessage(), e);
        }
    }
}
