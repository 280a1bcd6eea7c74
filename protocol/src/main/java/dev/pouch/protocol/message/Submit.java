package dev.pouch.protocol.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Submits a document whose sealed main object and parts have been uploaded as streams; a document
 * sent as one of a batch names the batch.
 */
public record Submit(UUID documentId, String mainStreamId, List<String> partStreamIds, Optional<Batch> batch)
        implements Message {

    public static final int MAX_PARTS = 65_536;

    /** A batch: many documents sent as one act (e.g. 1,061 statistics files), tracked together. */
    public record Batch(UUID id, int size) {
        public static final int MAX_SIZE = 100_000;

        public Batch {
            Objects.requireNonNull(id);
            Checks.require(size > 0 && size <= MAX_SIZE, "a batch holds 1 to " + MAX_SIZE + " documents");
        }
    }

    public Submit {
        Objects.requireNonNull(documentId);
        Checks.streamId(mainStreamId);
        partStreamIds = Checks.list(partStreamIds, MAX_PARTS, "parts");
        partStreamIds.forEach(Checks::streamId);
        Objects.requireNonNull(batch);
    }

    public Submit(UUID documentId, String mainStreamId, List<String> partStreamIds) {
        this(documentId, mainStreamId, partStreamIds, Optional.empty());
    }
}
