package dev.pouch.protocol.message;

import java.time.Instant;
import java.util.Objects;

/** One recipient's state of a document: QUEUED, DELIVERED, SIGNED_FOR, REPLIED or OVERDUE. */
public record RecipientStatus(String organization, String state, Instant updatedAt, String signedForBy) {
    public RecipientStatus {
        Checks.text(organization, 32, "organization");
        Checks.text(state, 32, "state");
        Objects.requireNonNull(updatedAt);
        Checks.text(signedForBy, 200, "signed for by");
    }
}
