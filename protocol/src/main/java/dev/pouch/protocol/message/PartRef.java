package dev.pouch.protocol.message;

/** One part of a large document, as a client fetches it. */
public record PartRef(int index, String streamId, long size) {
    public PartRef {
        Checks.require(index >= 0, "negative part index");
        Checks.streamId(streamId);
        Checks.require(size > 0, "empty part");
    }
}
