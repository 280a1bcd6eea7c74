package dev.pouch.protocol.transport;

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

    /** The connection is gone. */
    default void disconnected(Session session) {
    }
}
