package dev.pouch.protocol.message;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Submits a document whose sealed main object and parts have been uploaded as streams. */
public record Submit(UUID documentId, String mainStreamId, List<String> partStreamIds) implements Message {

    public static final int MAX_PARTS = 65_536;

    public Submit {
        Objects.requireNonNull(documentId);
        Checks.streamId(mainStreamId);
        partStreamIds = Checks.list(partStreamIds, MAX_PARTS, "parts");
        partStreamIds.forEach(Checks::streamId);
    }
}
