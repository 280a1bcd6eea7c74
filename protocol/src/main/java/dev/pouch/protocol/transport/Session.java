package dev.pouch.protocol.transport;

import dev.pouch.crypto.pki.Identity;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Failure;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.stream.StreamSource;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One authenticated connection, as the application sees it: who the peer is, requests with
 * correlated replies, one-way messages, and outgoing streams. Every method is safe to call from
 * any thread; state lives on the channel's event loop.
 */
public final class Session {

    /** The only protocol version so far. */
    public static final int VERSION = 1;
    /** Requests this side may have waiting for a reply; beyond it new requests fail with BUSY. */
    static final int MAX_PENDING_REQUESTS = 1024;

    private final Channel channel;
    private final Limits limits;
    private final Executor blockingExecutor;
    private volatile Identity peer;
    private volatile boolean established;
    private volatile boolean takesDeliveries = true;

    // Event-loop confined.
    private long nextRequestId = 1;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Map<String, OutboundStream> outbound = new HashMap<>();
    /** Requests handed to the application and not yet answered. */
    private final java.util.Set<Long> awaitingApplication = new java.util.HashSet<>();
    private int pendingChunks;

    private record Pending(CompletableFuture<Framed> future, ScheduledFuture<?> timeout) {
    }

    Session(Channel channel, Limits limits, Executor blockingExecutor) {
        this.channel = Objects.requireNonNull(channel);
        this.limits = Objects.requireNonNull(limits);
        this.blockingExecutor = Objects.requireNonNull(blockingExecutor);
    }

    /** The identity in the peer's validated TLS certificate. */
    public Identity peer() {
        Identity p = peer;
        if (p == null) {
            throw new IllegalStateException("the TLS handshake has not completed");
        }
        return p;
    }

    /** True once hello/welcome completed. */
    public boolean isEstablished() {
        return established;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public Limits limits() {
        return limits;
    }

    /** Where the transport runs blocking work (stores, sources). */
    public Executor blockingExecutor() {
        return blockingExecutor;
    }

    public Channel channel() {
        return channel;
    }

    void peer(Identity identity) {
        this.peer = identity;
    }

    void established() {
        this.established = true;
    }

    void takesDeliveries(boolean takes) {
        this.takesDeliveries = takes;
    }

    /** False when the client said in its hello that this connection takes no deliveries. */
    public boolean takesDeliveries() {
        return takesDeliveries;
    }

    /** Sends a request and completes with the reply's message; a {@link Failure} reply completes exceptionally. */
    public CompletableFuture<Message> request(Message message) {
        return requestFramed(message, 0, limits.requestTimeout()).thenApply(Framed::message);
    }

    /** A request that may take longer (or must be quicker) than the default reply timeout. */
    public CompletableFuture<Message> request(Message message, java.time.Duration timeout) {
        return requestFramed(message, 0, timeout).thenApply(Framed::message);
    }

    CompletableFuture<Framed> requestFramed(Message message, long inReplyTo) {
        return requestFramed(message, inReplyTo, limits.requestTimeout());
    }

    CompletableFuture<Framed> requestFramed(Message message, long inReplyTo, java.time.Duration replyTimeout) {
        CompletableFuture<Framed> result = new CompletableFuture<>();
        inLoop(() -> {
            if (!channel.isActive()) {
                result.completeExceptionally(new ConnectionClosedException("connection closed"));
                return;
            }
            if (pending.size() >= MAX_PENDING_REQUESTS) {
                result.completeExceptionally(new ProtocolException(ErrorCode.BUSY, "too many requests waiting for replies"));
                return;
            }
            if (inReplyTo != 0 && awaitingApplication.remove(inReplyTo)) {
                updateAutoRead(); // a request answered with a request (a fetch with its stream) is answered too
            }
            long id = nextRequestId++;
            ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> {
                Pending p = pending.remove(id);
                if (p != null) {
                    p.future().completeExceptionally(new ProtocolException(ErrorCode.TIMEOUT,
                            "no reply to " + message.getClass().getSimpleName() + " within " + replyTimeout));
                }
            }, replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            pending.put(id, new Pending(result, timeout));
            channel.writeAndFlush(new Framed(VERSION, id, inReplyTo, message)).addListener(failOnError(id));
        });
        return result;
    }

    /** Sends a message that expects no reply. */
    public void send(Message message) {
        channel.writeAndFlush(Framed.request(VERSION, 0, message), channel.voidPromise());
    }

    /** Answers {@code request}. */
    public void reply(Framed request, Message message) {
        if (request.requestId() == 0) {
            return; // one-way messages get no reply
        }
        channel.writeAndFlush(Framed.reply(VERSION, request, message), channel.voidPromise());
        answered(request);
    }

    /** Answers {@code request} with an error frame; the connection stays open. */
    public void replyFailure(Framed request, ProtocolException e) {
        Failure failure = e.streamId().isPresent()
                ? Failure.ofStream(e.code(), e.detail(), e.streamId().get())
                : Failure.of(e.code(), e.detail());
        if (request == null || request.requestId() == 0) {
            channel.writeAndFlush(Framed.request(VERSION, 0, failure), channel.voidPromise());
        } else {
            channel.writeAndFlush(Framed.reply(VERSION, request, failure), channel.voidPromise());
            answered(request);
        }
    }

    /** Sends an error frame saying why, then closes the connection. */
    public void close(ErrorCode code, String detail) {
        inLoop(() -> {
            if (channel.isActive()) {
                channel.writeAndFlush(Framed.request(VERSION, 0, Failure.of(code, detail)))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    /**
     * Sends a sealed object as a stream: begin, wait for the receiver's offset, chunks from there
     * (within the window and while the channel is writable), end with the digest. Completes when
     * the receiver confirms the stream complete and checked.
     *
     * @param inReplyTo the request this stream answers (a fetch), or 0
     */
    public CompletableFuture<Void> sendStream(String streamId, StreamPurpose purpose, StreamSource source, long inReplyTo) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        inLoop(() -> {
            OutboundStream under = outbound.get(streamId);
            if (under != null) {
                // A stream id names one sealed object: sending it again while it is under way (a caller
                // retrying after its own timeout) waits for that stream instead of starting a second.
                under.done().whenComplete((v, e) -> {
                    if (e == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(e);
                    }
                });
                return;
            }
            OutboundStream stream = new OutboundStream(this, streamId, purpose, source, inReplyTo, done);
            outbound.put(streamId, stream);
            done.whenComplete((v, e) -> inLoop(() -> outbound.remove(streamId, stream)));
            stream.start();
        });
        return done;
    }

    // --- back-pressure: reading pauses while the store or the application is behind

    /** Requests the application may have unanswered before this connection stops reading. */
    static final int MAX_APPLICATION_IN_FLIGHT = 64;

    void handedToApplication(Framed request) {
        if (request.requestId() != 0) {
            awaitingApplication.add(request.requestId());
            updateAutoRead();
        }
    }

    private void answered(Framed request) {
        inLoop(() -> {
            if (awaitingApplication.remove(request.requestId())) {
                updateAutoRead();
            }
        });
    }

    void chunkPending(int delta) {
        pendingChunks += delta;
        updateAutoRead();
    }

    int pendingChunks() {
        return pendingChunks;
    }

    private void updateAutoRead() {
        boolean behind = pendingChunks >= limits.maxPendingChunks()
                || awaitingApplication.size() >= MAX_APPLICATION_IN_FLIGHT;
        if (channel.config().isAutoRead() == behind) {
            channel.config().setAutoRead(!behind);
            if (!behind) {
                channel.read();
            }
        }
    }

    // --- called by SessionHandler on the event loop

    boolean completePending(Framed reply) {
        Pending p = pending.remove(reply.inReplyTo());
        if (p == null) {
            return false;
        }
        p.timeout().cancel(false);
        if (reply.message() instanceof Failure f) {
            p.future().completeExceptionally(RemoteFailureException.of(f));
        } else {
            p.future().complete(reply);
        }
        return true;
    }

    Optional<OutboundStream> outbound(String streamId) {
        return Optional.ofNullable(outbound.get(streamId));
    }

    void writabilityChanged() {
        if (channel.isWritable()) {
            for (OutboundStream s : new ArrayList<>(outbound.values())) {
                s.pump();
            }
        }
    }

    void closed() {
        ConnectionClosedException closed = new ConnectionClosedException("connection closed");
        List<Pending> waiting = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : waiting) {
            p.timeout().cancel(false);
            p.future().completeExceptionally(closed);
        }
        for (OutboundStream s : new ArrayList<>(outbound.values())) {
            s.fail(closed);
        }
    }

    void inLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    private ChannelFutureListener failOnError(long id) {
        return f -> {
            if (!f.isSuccess()) {
                Pending p = pending.remove(id);
                if (p != null) {
                    p.timeout().cancel(false);
                    p.future().completeExceptionally(new ConnectionClosedException("write failed: " + f.cause()));
                }
            }
        };
    }
}
