package dev.pouch.server.survey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A compilation package written to a temporary file (it holds opened attachments: it is deleted
 * on {@link #close()}, and any left by a crash are removed when the server starts).
 *
 * @param fileName the name to offer a downloader, e.g. {@code compilation-商欧函〔2026〕12号.zip}
 * @param sha256   hex SHA-256 of the zip, as audited
 */
public record Compilation(Path file, String fileName, long size, String sha256, CompilationManifest manifest)
        implements AutoCloseable {

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
