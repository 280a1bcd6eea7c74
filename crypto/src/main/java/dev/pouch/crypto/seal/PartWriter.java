package dev.pouch.crypto.seal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.internal.Aes;
import dev.pouch.crypto.internal.AuthEnvelope;
import dev.pouch.crypto.internal.Bc;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Streams a file into sealed parts, several at a time. Each worker holds one 1 MiB buffer, so
 * memory does not grow with the file.
 */
final class PartWriter {

    record Result(PartManifest manifest, List<Path> files) {
    }

    private final int partSize;
    private final int parallelism;

    PartWriter(int partSize, int parallelism) {
        this.partSize = partSize;
        this.parallelism = parallelism;
    }

    /** The file name of part {@code index} of a document. */
    static String partFileName(UUID documentId, int index) {
        return documentId + ".part-" + String.format("%05d", index) + ".cms";
    }

    Result write(UUID documentId, Path content, Path outputDirectory) {
        byte[] bulkKey = Aes.newKey();
        byte[] bulkKeyId = Bc.randomBytes(16);
        List<Path> files = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "pouch-seal-part");
            t.setDaemon(true);
            return t;
        });
        try (FileChannel channel = FileChannel.open(content, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw new CryptoException(CryptoError.CONTENT_EMPTY, "nothing to seal");
            }
            long count = (size + partSize - 1) / partSize;
            if (count > ManifestCodec.MAX_PARTS) {
                throw new CryptoException(CryptoError.LIMIT_EXCEEDED, "file too large: more than " + ManifestCodec.MAX_PARTS + " parts");
            }
            Files.createDirectories(outputDirectory);
            List<Future<PartManifest.Entry>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                long offset = (long) i * partSize;
                long length = Math.min(partSize, size - offset);
                Path file = outputDirectory.resolve(partFileName(documentId, index));
                files.add(file);
                futures.add(pool.submit(() -> sealPart(channel, index, offset, length, file, bulkKeyId, bulkKey)));
            }
            List<PartManifest.Entry> entries = new ArrayList<>();
            for (Future<PartManifest.Entry> f : futures) {
                entries.add(f.get());
            }
            return new Result(new PartManifest(size, partSize, bulkKeyId, bulkKey, entries), files);
        } catch (IOException e) {
            deleteAll(files);
            throw new UncheckedIOException("cannot seal " + content + ": " + e.getMessage(), e);
        } catch (ExecutionException e) {
            deleteAll(files);
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException("cannot seal " + content, new IOException(e.getCause()));
        } catch (InterruptedException e) {
            deleteAll(files);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sealing", e);
        } catch (RuntimeException e) {
            deleteAll(files);
            throw e;
        } finally {
            pool.shutdownNow();
            Arrays.fill(bulkKey, (byte) 0);
        }
    }

    private static PartManifest.Entry sealPart(FileChannel channel, int index, long offset, long length, Path file,
            byte[] bulkKeyId, byte[] bulkKey) throws IOException {
        byte[][] digests;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            digests = AuthEnvelope.writePart(out, new RangeInputStream(channel, offset, length), length, bulkKeyId, bulkKey);
        }
        return new PartManifest.Entry(index, length, Sha256.of(digests[0]), Files.size(file), Sha256.of(digests[1]));
    }

    private static void deleteAll(List<Path> files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // best effort: the caller is already failing
            }
        }
    }

    /** Positional reads of one range of a shared channel (safe to use from several threads). */
    private static final class RangeInputStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        RangeInputStream(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }
}
