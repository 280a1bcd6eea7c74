package dev.pouch.protocol.transport;

import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Chunk;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.StreamBegin;
import dev.pouch.protocol.message.StreamEnd;
import dev.pouch.protocol.message.StreamState;
import dev.pouch.protocol.stream.StreamStore;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The receiving side of a connection's streams. Event-loop confined. Each chunk is handed to the
 * {@link StreamStore} off the event loop, in order per stream; once stored it is acknowledged with
 * a progress {@link StreamState}. When too many chunks wait to be stored, the connection stops
 * reading until the store catches up, so a fast sender cannot fill memory.
 */
final class InboundStreams {

    private static final int REMEMBERED_FAILURES = 64;

    private final Session session;
    private final StreamStore store;
    private final Consumer<String> onComplete;
    private final Map<String, Inbound> open = new HashMap<>();
    /** Streams failed recently: their stray chunks are dropped silently instead of answered again. */
    private final Set<String> failed = new LinkedHashSet<>();

    private static final class Inbound {
        final long total;
        long next = -1; // expected offset of the next chunk; -1 until the store has answered
        CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

        Inbound(long total) {
            this.total = total;
        }
    }

    InboundStreams(Session session, StreamStore store, Consumer<String> onComplete) {
        this.session = session;
        this.store = store;
        this.onComplete = onComplete;
    }

    int openCount() {
        return open.size();
    }

    void begin(Framed request, StreamBegin begin) {
        String id = begin.streamId();
        failed.remove(id);
        if (open.containsKey(id)) {
            fail(request, new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "stream is already open", id));
            return;
        }
        if (open.size() >= session.limits().maxOpenStreams()) {
            session.replyFailure(request, new ProtocolException(ErrorCode.TOO_MANY_STREAMS,
                    "at most " + session.limits().maxOpenStreams() + " streams at once", id));
            return;
        }
        if (begin.totalSize() > session.limits().maxStreamBytes()) {
            session.replyFailure(request, new ProtocolException(ErrorCode.STREAM_TOO_LARGE,
                    begin.totalSize() + " bytes is more than " + session.limits().maxStreamBytes(), id));
            return;
        }
        Inbound stream = new Inbound(begin.totalSize());
        open.put(id, stream);
        stream.tail = CompletableFuture
                .supplyAsync(() -> {
                    long held = store.open(session.peer(), id, begin.totalSize());
                    boolean complete = held == begin.totalSize() && store.isComplete(session.peer(), id);
                    return new StreamState(id, held, complete);
                }, session.blockingExecutor())
                .handle((state, error) -> {
                    session.inLoop(() -> {
                        if (error != null) {
                            fail(request, unwrap(error, id));
                        } else if (open.get(id) == stream) {
                            stream.next = state.nextOffset();
                            if (state.complete()) {
                                open.remove(id);
                            }
                            session.reply(request, state);
                        }
                    });
                    return null;
                });
    }

    void chunk(Chunk chunk) {
        String id = chunk.streamId();
        Inbound stream = open.get(id);
        if (stream == null) {
            if (!failed.contains(id)) {
                fail(null, new ProtocolException(ErrorCode.UNKNOWN_STREAM, "chunk for a stream that is not open", id));
            }
            return;
        }
        if (stream.next < 0 || chunk.offset() != stream.next) {
            fail(null, new ProtocolException(ErrorCode.OUT_OF_ORDER_CHUNK,
                    "chunk at " + chunk.offset() + ", expected " + stream.next, id));
            return;
        }
        if (chunk.end() > stream.total) {
            fail(null, new ProtocolException(ErrorCode.STREAM_SIZE_MISMATCH,
                    "chunk ends at " + chunk.end() + " beyond the declared " + stream.total, id));
            return;
        }
        stream.next = chunk.end();
        session.chunkPending(+1);
        stream.tail = stream.tail
                .thenRunAsync(() -> store.append(session.peer(), id, chunk.offset(), chunk.data()), session.blockingExecutor())
                .whenComplete((v, error) -> session.inLoop(() -> {
                    session.chunkPending(-1);
                    if (error == null) {
                        session.send(new StreamState(id, chunk.end(), false));
                    } else if (open.get(id) == stream) {
                        fail(null, unwrap(error, id));
                    }
                }));
    }

    void end(Framed request, StreamEnd end) {
        String id = end.streamId();
        Inbound stream = open.get(id);
        if (stream == null) {
            fail(request, new ProtocolException(ErrorCode.UNKNOWN_STREAM, "end of a stream that is not open", id));
            return;
        }
        if (stream.next != stream.total) {
            fail(request, new ProtocolException(ErrorCode.STREAM_SIZE_MISMATCH,
                    "ended after " + stream.next + " of " + stream.total + " bytes", id));
            return;
        }
        stream.tail = stream.tail
                .thenRunAsync(() -> store.complete(session.peer(), id, end.sha256()), session.blockingExecutor())
                .whenComplete((v, error) -> session.inLoop(() -> {
                    if (open.get(id) != stream) {
                        return;
                    }
                    if (error != null) {
                        fail(request, unwrap(error, id));
                        return;
                    }
                    open.remove(id);
                    session.reply(request, new StreamState(id, stream.total, true));
                    onComplete.accept(id);
                }));
    }

    /** Fails one stream: tells the sender why (as a reply when there is a request) and forgets it. */
    private void fail(Framed request, ProtocolException e) {
        String id = e.streamId().orElseThrow();
        open.remove(id);
        remember(id);
        session.replyFailure(request, e);
    }

    private void remember(String failedId) {
        failed.add(failedId);
        if (failed.size() > REMEMBERED_FAILURES) {
            failed.remove(failed.iterator().next());
        }
    }

    /**
     * The sender gave up on an open stream: it is forgotten here (its stray chunks dropped
     * silently) without an answer, and what the store holds stays for a resumed attempt.
     *
     * @return whether such a stream was open
     */
    boolean aborted(String id) {
        if (open.remove(id) == null) {
            return false;
        }
        remember(id);
        return true;
    }

    void closed() {
        open.clear();
    }

    private static ProtocolException unwrap(Throwable error, String id) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ProtocolException pe) {
            return pe.streamId().isPresent() ? pe : new ProtocolException(pe.code(), pe.detail(), id, pe);
        }
        return new ProtocolException(ErrorCode.INTERNAL_ERROR, "could not store the stream", id, cause);
    }
}
