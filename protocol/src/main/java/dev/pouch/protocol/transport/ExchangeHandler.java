package dev.pouch.protocol.transport;

import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.stream.StreamStore;

/**
 * What the application (exchange server or client) plugs into the transport. The transport itself
 * handles hello, heartbeats, replies, errors and streams; everything else comes here.
 */
public interface ExchangeHandler {

    /** Where this side keeps incoming streams. */
    StreamStore streamStore();

    /**
     * A request or one-way message for the application. Answer with {@link Session#reply} or
     * {@link Session#replyFailure}, now or later; throwing a {@code ProtocolException} answers
     * with its code. Runs on the event loop: hand blocking work to an executor.
     */
    void handle(Session session, Framed request);

    /** Hello/welcome completed. */
    default void connected(Session session) {
    }

    /** An incoming stream is complete and its digest checked. */
    default void streamComplete(Session session, String streamId) {
    }

    /**
     * An incoming stream will not complete on this attempt: its sender aborted it
     * ({@code ErrorCode.STREAM_ABORTED}, its source failed) or said why it cannot go on. What
     * arrived stays in the {@link #streamStore()}, so a later attempt resumes from there.
     * Runs on the event loop.
     */
    default void streamFailed(Session session, String streamId, ProtocolException why) {
    }

    /** The connection is gone. */
    default void disconnected(Session session) {
    }
}
