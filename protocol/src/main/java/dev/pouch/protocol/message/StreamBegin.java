package dev.pouch.protocol.message;

/** Begins or resumes a stream; the receiver answers with {@link StreamState}. */
public record StreamBegin(String streamId, StreamPurpose purpose, long totalSize) implements Message {
    public StreamBegin {
        Checks.streamId(streamId);
        Checks.require(purpose != null, "stream purpose is missing");
        Checks.require(totalSize > 0, "a stream carries at least one byte");
    }
}
