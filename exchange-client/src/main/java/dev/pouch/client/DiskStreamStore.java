package dev.pouch.client;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Incoming streams (deliveries, fetched documents) kept in files, so that a document of any size
 * costs no memory and a transfer broken off — by the link or by the agent being stopped — resumes
 * where it stopped, on this connection or a later one. {@code <key>.part} grows as chunks arrive
 * and becomes {@code <key>.done} once its SHA-256 is checked; {@code <key>.size} records the size
 * announced.
 */
public final class DiskStreamStore implements dev.pouch.protocol.stream.StreamStore {

    private final Path dir;
    private final long maxStreamBytes;
    /** Digest state of the streams being received by this process. */
    private final Map<String, MessageDigest> digests = new ConcurrentHashMap<>();

    public DiskStreamStore(Path dir, long maxStreamBytes) {
        this.dir = dir;
        this.maxStreamBytes = maxStreamBytes;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot create the transfer folder " + dir, e);
        }
    }

    private static String key(Identity owner, String streamId) {
        return HexFormat.of().formatHex(sha256((owner + "\n" + streamId).getBytes(StandardCharsets.UTF_8))).substring(0, 40);
    }

    private Path partFile(String key) {
        return dir.resolve(key + ".part");
    }

    private Path doneFile(String key) {
        return dir.resolve(key + ".done");
    }

    private Path sizeFile(String key) {
        return dir.resolve(key + ".size");
    }

    @Override
    public long open(Identity owner, String streamId, long totalSize) {
        if (totalSize > maxStreamBytes) {
            throw new ProtocolException(ErrorCode.STREAM_TOO_LARGE, totalSize + " bytes", streamId);
        }
        String key = key(owner, streamId);
        try {
            if (Files.exists(sizeFile(key))) {
                long announced = Long.parseLong(Files.readString(sizeFile(key)).trim());
                if (announced != totalSize) {
                    throw new ProtocolException(ErrorCode.STREAM_SIZE_MISMATCH, "stream exists with another size", streamId);
                }
            } else {
                Files.writeString(sizeFile(key), Long.toString(totalSize));
            }
            if (Files.exists(doneFile(key))) {
                return totalSize;
            }
            Path part = partFile(key);
            if (!Files.exists(part)) {
                Files.createFile(part);
            }
            // Resuming after a restart: the digest so far is the digest of what the file holds.
            MessageDigest md = digests.get(key);
            long held = Files.size(part);
            if (md == null) {
                md = newDigest();
                try (InputStream in = Files.newInputStream(part)) {
                    byte[] buf = new byte[64 * 1024];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
                digests.put(key, md);
            }
            return held;
        } catch (IOException | NumberFormatException e) {
            throw new ProtocolException(ErrorCode.BUSY, "the client cannot write its transfer folder: " + e.getMessage(), streamId);
        }
    }

    @Override
    public void append(Identity owner, String streamId, long offset, ByteString data) {
        String key = key(owner, streamId);
        MessageDigest md = digests.get(key);
        if (md == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_STREAM, "not open", streamId);
        }
        try (FileChannel ch = FileChannel.open(partFile(key), StandardOpenOption.WRITE)) {
            if (offset != ch.size()) {
                throw new ProtocolException(ErrorCode.OUT_OF_ORDER_CHUNK, "append at " + offset + " but holding " + ch.size(), streamId);
            }
            java.nio.ByteBuffer buf = data.asReadOnlyByteBuffer();
            ch.position(offset);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            md.update(data.asReadOnlyByteBuffer());
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BUSY, "the client cannot write its transfer folder: " + e.getMessage(), streamId);
        }
    }

    @Override
    public void complete(Identity owner, String streamId, Sha256 digest) {
        String key = key(owner, streamId);
        if (Files.exists(doneFile(key))) {
            return;
        }
        MessageDigest md = digests.remove(key);
        if (md == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_STREAM, "not open", streamId);
        }
        try {
            long size = Long.parseLong(Files.readString(sizeFile(key)).trim());
            long held = Files.size(partFile(key));
            if (held != size) {
                digests.put(key, md);
                throw new ProtocolException(ErrorCode.STREAM_SIZE_MISMATCH, "holding " + held + " of " + size, streamId);
            }
            if (!Sha256.of(md.digest()).equals(digest)) {
                discard(key);
                throw new ProtocolException(ErrorCode.DIGEST_MISMATCH, "stream discarded", streamId);
            }
            try (FileChannel ch = FileChannel.open(partFile(key), StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(partFile(key), doneFile(key), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | NumberFormatException e) {
            throw new ProtocolException(ErrorCode.BUSY, "the client cannot write its transfer folder: " + e.getMessage(), streamId);
        }
    }

    @Override
    public boolean isComplete(Identity owner, String streamId) {
        return Files.exists(doneFile(key(owner, streamId)));
    }

    /** The file of a complete, checked stream. */
    public Optional<Path> completed(Identity owner, String streamId) {
        Path done = doneFile(key(owner, streamId));
        return Files.exists(done) ? Optional.of(done) : Optional.empty();
    }

    /** Forgets a stream (once what it carried is stored, or to fetch it afresh). */
    public void remove(Identity owner, String streamId) {
        discard(key(owner, streamId));
    }

    private void discard(String key) {
        digests.remove(key);
        try {
            Files.deleteIfExists(partFile(key));
            Files.deleteIfExists(doneFile(key));
            Files.deleteIfExists(sizeFile(key));
        } catch (IOException ignored) {
            // a leftover transfer file is harmless: it is overwritten or removed with the folder
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        return newDigest().digest(data);
    }
}
