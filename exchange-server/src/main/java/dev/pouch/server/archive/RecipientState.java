package dev.pouch.server.archive;

import dev.pouch.crypto.document.OrgCode;

import java.time.Instant;
import java.util.Optional;

/** One recipient's progress with a document: QUEUED → DELIVERED → SIGNED_FOR → REPLIED. */
public record RecipientState(OrgCode organization, String role, State state, Instant queuedAt, Optional<Instant> deliveredAt,
        Optional<Instant> receiptAt, Optional<Instant> signedForAt, Optional<String> signedForBy, Optional<Instant> repliedAt) {

    /** The states, in the order a recipient moves through them. */
    public enum State { QUEUED, DELIVERED, SIGNED_FOR, REPLIED }

    /** When the current state was reached. */
    public Instant updatedAt() {
        return switch (state) {
            case QUEUED -> queuedAt;
            case DELIVERED -> deliveredAt.orElse(queuedAt);
            case SIGNED_FOR -> signedForAt.orElse(queuedAt);
            case REPLIED -> repliedAt.orElse(queuedAt);
        };
    }
}
