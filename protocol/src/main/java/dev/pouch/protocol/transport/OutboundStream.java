package dev.pouch.protocol.transport;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Chunk;
import dev.pouch.protocol.message.Failure;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.StreamBegin;
import dev.pouch.protocol.message.StreamEnd;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.message.StreamState;
import dev.pouch.protocol.stream.StreamSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The sending side of one stream. Event-loop confined. It never has more than the window of
 * unacknowledged bytes in flight, writes only while the channel is writable, and reads from its
 * source off the event loop, one chunk at a time.
 */
final class OutboundStream {

    private final Session session;
    private final String id;
    private final StreamPurpose purpose;
    private final StreamSource source;
    private final long inReplyTo;
    private final CompletableFuture<Void> done;
    private final long total;
    private final long window;
    private final int chunkBytes;

    private long sent;
    private long acked;
    private boolean started;
    private boolean reading;
    private boolean ended;

    OutboundStream(Session session, String id, StreamPurpose purpose, StreamSource source, long inReplyTo,
            CompletableFuture<Void> done) {
        this.session = session;
        this.id = id;
        this.purpose = purpose;
        this.source = source;
        this.inReplyTo = inReplyTo;
        this.done = done;
        this.total = source.size();
        this.chunkBytes = session.limits().maxChunkBytes();
        this.window = (long) session.limits().windowChunks() * chunkBytes;
    }

    /** Completes when the receiver confirms the stream complete and checked, or fails with why not. */
    CompletableFuture<Void> done() {
        return done;
    }

    void start() {
        session.requestFramed(new StreamBegin(id, purpose, total), inReplyTo).whenComplete((reply, error) -> session.inLoop(() -> {
            if (error != null) {
                fail(error);
            } else if (reply.message() instanceof StreamState state && state.streamId().equals(id)
                    && state.nextOffset() <= total) {
                started = true;
                sent = state.nextOffset();
                acked = state.nextOffset();
                if (state.complete()) {
                    done.complete(null);
                } else {
                    pump();
                }
            } else {
                fail(new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "expected the receiver's stream state", id));
            }
        }));
    }

    /** The receiver stored everything up to {@code state.nextOffset()}. */
    void acknowledged(StreamState state) {
        if (state.nextOffset() > acked && state.nextOffset() <= sent) {
            acked = state.nextOffset();
        }
        pump();
    }

    void pump() {
        if (!started || done.isDone() || reading || ended) {
            return;
        }
        if (sent == total) {
            end();
            return;
        }
        if (!session.channel().isWritable() || sent - acked >= window) {
            return; // resumed by writability or by the next acknowledgement
        }
        reading = true;
        long offset = sent;
        int length = (int) Math.min(chunkBytes, total - offset);
        CompletableFuture.supplyAsync(() -> source.read(offset, length), session.blockingExecutor())
                .whenComplete((data, error) -> session.inLoop(() -> {
                    reading = false;
                    if (error != null) {
                        abort(error);
                        return;
                    }
                    if (done.isDone()) {
                        return;
                    }
                    write(offset, data);
                    pump();
                }));
    }

    private void write(long offset, ByteString data) {
        sent = offset + data.size();
        session.channel().writeAndFlush(Framed.request(Session.VERSION, 0, new Chunk(id, offset, data)),
                session.channel().voidPromise());
    }

    private void end() {
        ended = true;
        CompletableFuture.supplyAsync(source::sha256, session.blockingExecutor())
                .whenComplete((digest, error) -> session.inLoop(() -> {
                    if (error != null) {
                        abort(error);
                    } else {
                        finish(digest);
                    }
                }));
    }

    private void finish(Sha256 digest) {
        session.requestFramed(new StreamEnd(id, digest), 0)
                .whenComplete((reply, error) -> session.inLoop(() -> {
                    if (error != null) {
                        fail(error);
                    } else if (reply.message() instanceof StreamState s && s.complete()) {
                        done.complete(null);
                    } else {
                        fail(new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "expected the stream to be complete", id));
                    }
                }));
    }

    /**
     * This side cannot go on (its source failed): the receiver is told at once with a stream
     * failure, {@link ErrorCode#STREAM_ABORTED}, rather than left waiting for chunks that will not
     * come; it keeps what it holds, so a later attempt resumes from there.
     */
    private void abort(Throwable error) {
        Throwable cause = unwrap(error);
        if (!done.isDone() && session.channel().isActive()) {
            session.channel().writeAndFlush(Framed.request(Session.VERSION, 0, Failure.ofStream(ErrorCode.STREAM_ABORTED,
                    "the sender could not read its source: " + cause.getClass().getSimpleName(), id)),
                    session.channel().voidPromise());
        }
        fail(cause);
    }

    void fail(Throwable error) {
        done.completeExceptionally(unwrap(error));
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : error;
    }
}
