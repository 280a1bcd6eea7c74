package dev.pouch.client;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The media type a file declares, from its extension. The exchange checks it against the
 * content; anything not listed is declared {@code application/octet-stream} (the exchange then
 * types it by content alone).
 */
public final class MediaTypes {

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"), Map.entry("pdf", "application/pdf"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("doc", "application/msword"), Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("odt", "application/vnd.oasis.opendocument.text"), Map.entry("rtf", "application/rtf"),
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("xml", "application/xml"),
            Map.entry("json", "application/json"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"), Map.entry("zip", "application/zip"));

    private MediaTypes() {
    }

    public static String of(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(ext, "application/octet-stream");
    }
}
