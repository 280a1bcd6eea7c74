package dev.pouch.protocol.message;

import com.google.protobuf.ByteString;

/** A contiguous piece of a stream; at most {@link #MAX_DATA} bytes. */
public record Chunk(String streamId, long offset, ByteString data) implements Message {

    /** Largest chunk payload: 256 KiB. */
    public static final int MAX_DATA = 256 * 1024;

    public Chunk {
        Checks.streamId(streamId);
        Checks.nonNegative(offset, "offset");
        Checks.require(data != null && !data.isEmpty(), "a chunk carries data");
        if (data.size() > MAX_DATA) {
            throw new dev.pouch.protocol.ProtocolException(dev.pouch.protocol.ErrorCode.CHUNK_TOO_LARGE,
                    "chunk of " + data.size() + " bytes", streamId);
        }
    }

    public long end() {
        return offset + data.size();
    }
}
