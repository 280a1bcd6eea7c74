package dev.pouch.protocol.transport;

import com.google.protobuf.ByteString;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Chunk;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.StreamBegin;
import dev.pouch.protocol.message.StreamEnd;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.message.StreamState;
import dev.pouch.protocol.stream.StreamSource;

import java.util.concurrent.CompletableFuture;

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
                        fail(error);
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
                .thenCompose(digest -> session.requestFramed(new StreamEnd(id, digest), 0))
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

    void fail(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
                ? ce.getCause() : error;
        done.completeExceptionally(cause);
    }
}
