package dev.pouch.protocol.stream;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.pouch.crypto.seal.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Where an outgoing stream's bytes come from, read by offset so that a resumed stream can skip
 * what the receiver already holds. Methods may block; the transport calls them off the event loop.
 */
public interface StreamSource {

    long size();

    /** Up to {@code length} bytes from {@code offset}; never empty before the end. */
    ByteString read(long offset, int length);

    /** SHA-256 of the whole stream, sent after the last chunk. */
    Sha256 sha256();

    static StreamSource of(byte[] bytes) {
        ByteString all = ByteString.copyFrom(bytes);
        Sha256 digest = Sha256.digest(bytes);
        return new StreamSource() {
            @Override
            public long size() {
                return all.size();
            }

            @Override
            public ByteString read(long offset, int length) {
                int start = Math.toIntExact(offset);
                return all.substring(start, Math.min(all.size(), start + length));
            }

            @Override
            public Sha256 sha256() {
                return digest;
            }
        };
    }

    /** A file, read with positional reads; its digest is computed once, on first demand. */
    static StreamSource of(Path file) {
        return new FileSource(file);
    }

    /** A file-backed source. */
    final class FileSource implements StreamSource {
        private final FileChannel channel;
        private final long size;
        private volatile Sha256 digest;

        FileSource(Path file) {
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.READ);
                this.size = channel.size();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public ByteString read(long offset, int length) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, size - offset));
            try {
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, offset + buffer.position()) < 0) {
                        throw new IOException("file shrank while being sent");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return UnsafeByteOperations.unsafeWrap(buffer.flip());
        }

        @Override
        public Sha256 sha256() {
            Sha256 d = digest;
            if (d == null) {
                try {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
                    for (long pos = 0; pos < size; ) {
                        buffer.clear();
                        int n = channel.read(buffer, pos);
                        if (n < 0) {
                            throw new IOException("file shrank while being hashed");
                        }
                        md.update(buffer.flip());
                        pos += n;
                    }
                    d = Sha256.of(md.digest());
                    digest = d;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
            return d;
        }

        /** Closes the underlying file. */
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing useful to do
            }
        }
    }
}
