package dev.pouch.protocol.stream;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.seal.Sha256;

/**
 * Where a receiver keeps incoming streams, chunk by chunk, so that a stream broken off by a lost
 * connection resumes exactly where it stopped — on this connection, a later one, or another node
 * sharing the store. Streams are owned by the peer identity that sends them.
 *
 * <p>Methods may block (disk, database): the transport calls them off the event loop, one call at
 * a time per stream, in order.
 */
public interface StreamStore {

    /**
     * Opens a stream or finds the one already begun, and returns how many bytes it holds.
     *
     * @throws dev.pouch.protocol.ProtocolException {@code STREAM_TOO_LARGE} or
     *         {@code STREAM_SIZE_MISMATCH} if it exists with another size
     */
    long open(Identity owner, String streamId, long totalSize);

    /** Appends bytes at {@code offset}, which is exactly the number of bytes held. */
    void append(Identity owner, String streamId, long offset, ByteString data);

    /**
     * Checks the digest of the complete stream and marks it complete; on a mismatch the stream is
     * discarded and {@code DIGEST_MISMATCH} thrown.
     */
    void complete(Identity owner, String streamId, Sha256 digest);

    /** True when the stream is complete and checked (a repeated StreamEnd is answered from this). */
    boolean isComplete(Identity owner, String streamId);
}
