package dev.pouch.protocol.message;

import java.util.Objects;
import java.util.UUID;

/** Asks the server to stream a sealed object again from an offset; {@code partIndex} -1 is the main object. */
public record Fetch(UUID documentId, int partIndex, long offset) implements Message {
    public Fetch {
        Objects.requireNonNull(documentId);
        Checks.require(partIndex >= -1, "part index below -1");
        Checks.nonNegative(offset, "offset");
    }

    public static Fetch main(UUID documentId) {
        return new Fetch(documentId, -1, 0);
    }
}
