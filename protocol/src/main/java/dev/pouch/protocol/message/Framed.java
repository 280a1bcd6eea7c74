package dev.pouch.protocol.message;

/**
 * A message with its frame fields: the protocol version, the sender's request id (0 when no
 * reply is expected) and, on a reply, the id of the request it answers.
 */
public record Framed(int version, long requestId, long inReplyTo, Message message) {

    public Framed {
        Checks.require(version >= 0, "negative version");
        Checks.require(requestId >= 0 && inReplyTo >= 0, "negative request id");
        java.util.Objects.requireNonNull(message, "message");
    }

    /** A request (or a one-way message when {@code requestId} is 0). */
    public static Framed request(int version, long requestId, Message message) {
        return new Framed(version, requestId, 0, message);
    }

    /** A reply to {@code request}. */
    public static Framed reply(int version, Framed request, Message message) {
        return new Framed(version, 0, request.requestId(), message);
    }

    public boolean isReply() {
        return inReplyTo != 0;
    }
}
