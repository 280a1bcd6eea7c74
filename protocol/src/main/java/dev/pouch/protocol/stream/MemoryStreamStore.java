package dev.pouch.protocol.stream;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Streams held in memory: for tests and for small objects on the client side. */
public final class MemoryStreamStore implements StreamStore {

    private final long maxStreamBytes;
    private final Map<String, Entry> streams = new ConcurrentHashMap<>();

    private static final class Entry {
        final long size;
        ByteString data = ByteString.EMPTY;
        boolean complete;

        Entry(long size) {
            this.size = size;
        }
    }

    public MemoryStreamStore(long maxStreamBytes) {
        this.maxStreamBytes = maxStreamBytes;
    }

    private static String key(Identity owner, String streamId) {
        return owner + " " + streamId;
    }

    @Override
    public long open(Identity owner, String streamId, long totalSize) {
        if (totalSize > maxStreamBytes) {
            throw new ProtocolException(ErrorCode.STREAM_TOO_LARGE, totalSize + " bytes", streamId);
        }
        Entry e = streams.computeIfAbsent(key(owner, streamId), k -> new Entry(totalSize));
        synchronized (e) {
            if (e.size != totalSize) {
                throw new ProtocolException(ErrorCode.STREAM_SIZE_MISMATCH, "stream exists with another size", streamId);
            }
            return e.data.size();
        }
    }

    @Override
    public void append(Identity owner, String streamId, long offset, ByteString data) {
        Entry e = entry(owner, streamId);
        synchronized (e) {
            if (offset != e.data.size() || offset + data.size() > e.size) {
                throw new ProtocolException(ErrorCode.OUT_OF_ORDER_CHUNK, "append at " + offset + " but holding " + e.data.size(), streamId);
            }
            e.data = e.data.concat(ByteString.copyFrom(data.asReadOnlyByteBuffer()));
        }
    }

    @Override
    public void complete(Identity owner, String streamId, Sha256 digest) {
        Entry e = entry(owner, streamId);
        synchronized (e) {
            if (e.data.size() != e.size) {
                throw new ProtocolException(ErrorCode.STREAM_SIZE_MISMATCH, "holding " + e.data.size() + " of " + e.size, streamId);
            }
            if (!Sha256.digest(e.data.toByteArray()).equals(digest)) {
                streams.remove(key(owner, streamId));
                throw new ProtocolException(ErrorCode.DIGEST_MISMATCH, "stream discarded", streamId);
            }
            e.complete = true;
        }
    }

    @Override
    public boolean isComplete(Identity owner, String streamId) {
        Entry e = streams.get(key(owner, streamId));
        return e != null && e.complete;
    }

    /** The bytes of a complete stream. */
    public Optional<byte[]> completed(Identity owner, String streamId) {
        Entry e = streams.get(key(owner, streamId));
        if (e == null) {
            return Optional.empty();
        }
        synchronized (e) {
            return e.complete ? Optional.of(e.data.toByteArray()) : Optional.empty();
        }
    }

    /** Bytes currently held for a stream (complete or not). */
    public long held(Identity owner, String streamId) {
        Entry e = streams.get(key(owner, streamId));
        return e == null ? 0 : e.data.size();
    }

    private Entry entry(Identity owner, String streamId) {
        Entry e = streams.get(key(owner, streamId));
        if (e == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_STREAM, "not open", streamId);
        }
        return e;
    }
}
