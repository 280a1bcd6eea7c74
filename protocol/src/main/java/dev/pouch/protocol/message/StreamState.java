package dev.pouch.protocol.message;

/** How many bytes of a stream the receiver holds, and whether it is complete and checked. */
public record StreamState(String streamId, long nextOffset, boolean complete) implements Message {
    public StreamState {
        Checks.streamId(streamId);
        Checks.nonNegative(nextOffset, "offset");
    }
}
