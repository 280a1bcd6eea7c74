package dev.pouch.crypto.document;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The signed header of a document: who sends what to whom. It travels as a signed attribute of
 * the sealed document, so a recipient knows the full distribution and the exchange can refuse a
 * document forwarded to someone outside it.
 *
 * <p>Build one with {@link #builder()}; the builder validates every field, so a half-built or
 * inconsistent header cannot exist.
 */
public record DocumentHeader(
        UUID documentId,
        String documentNumber,
        DocumentType type,
        String subject,
        OrgCode sender,
        List<OrgCode> actionRecipients,
        List<OrgCode> informationRecipients,
        Precedence precedence,
        Classification classification,
        SharingScope sharingScope,
        Optional<UUID> inReplyTo,
        Optional<Instant> deadline,
        List<Attachment> attachments) {

    public static final int MAX_RECIPIENTS = 4096;
    public static final int MAX_ATTACHMENTS = 10_000;
    public static final int MAX_NUMBER_LENGTH = 128;
    public static final int MAX_SUBJECT_LENGTH = 1000;

    public DocumentHeader {
        require(documentId != null, "document id is required");
        require(type != null && sender != null && precedence != null && classification != null
                && sharingScope != null, "type, sender, precedence, classification and scope are required");
        documentNumber = text(documentNumber, MAX_NUMBER_LENGTH, "document number");
        subject = text(subject, MAX_SUBJECT_LENGTH, "subject");
        actionRecipients = List.copyOf(Objects.requireNonNull(actionRecipients, "actionRecipients"));
        informationRecipients = List.copyOf(Objects.requireNonNull(informationRecipients, "informationRecipients"));
        inReplyTo = Objects.requireNonNull(inReplyTo, "inReplyTo");
        deadline = Objects.requireNonNull(deadline, "deadline");
        attachments = List.copyOf(Objects.requireNonNull(attachments, "attachments"));
        require(!actionRecipients.isEmpty(), "at least one action recipient is required");
        require(actionRecipients.size() + informationRecipients.size() <= MAX_RECIPIENTS,
                "more than " + MAX_RECIPIENTS + " recipients");
        Set<OrgCode> seen = new HashSet<>();
        for (OrgCode r : allRecipients(actionRecipients, informationRecipients)) {
            require(seen.add(r), "recipient " + r + " is listed twice");
        }
        // A document sealed for its own organization alone (kept, e.g. a survey compilation) names the
        // sender as its only recipient; otherwise the sender is never among its recipients.
        require(!seen.contains(sender) || (seen.size() == 1 && informationRecipients.isEmpty()),
                "the sender can be its own recipient only as the single one (a document kept for itself)");
        require(inReplyTo.map(id -> !id.equals(documentId)).orElse(true), "a document cannot reply to itself");
        require(!attachments.isEmpty() && attachments.size() <= MAX_ATTACHMENTS,
                "between 1 and " + MAX_ATTACHMENTS + " attachments are required");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Action then information recipients, in header order. */
    public List<OrgCode> allRecipients() {
        return allRecipients(actionRecipients, informationRecipients);
    }

    /** True for a document sealed by an organization for itself alone (kept, never sent). */
    public boolean isForSenderOnly() {
        return actionRecipients.size() == 1 && actionRecipients.getFirst().equals(sender) && informationRecipients.isEmpty();
    }

    /** True when {@code org} is the sender or one of the recipients. */
    public boolean involves(OrgCode org) {
        return sender.equals(org) || actionRecipients.contains(org) || informationRecipients.contains(org);
    }

    /** The total content size the attachments declare. */
    public long contentSize() {
        long total = 0;
        for (Attachment a : attachments) {
            total = Math.addExact(total, a.size());
        }
        return total;
    }

    private static List<OrgCode> allRecipients(List<OrgCode> action, List<OrgCode> info) {
        List<OrgCode> all = new ArrayList<>(action.size() + info.size());
        all.addAll(action);
        all.addAll(info);
        return all;
    }

    private static String text(String value, int max, String what) {
        require(value != null && !value.isBlank(), what + " is required");
        require(value.length() <= max, what + " is longer than " + max + " characters");
        require(value.chars().noneMatch(c -> Character.isISOControl(c) && c != '\t'),
                what + " contains control characters");
        return value;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new CryptoException(CryptoError.INVALID_REQUEST, message);
        }
    }

    /** Collects the fields of a header; {@link #build()} validates them all. */
    public static final class Builder {
        private UUID documentId;
        private String documentNumber;
        private DocumentType type;
        private String subject;
        private OrgCode sender;
        private final List<OrgCode> action = new ArrayList<>();
        private final List<OrgCode> information = new ArrayList<>();
        private Precedence precedence = Precedence.ROUTINE;
        private Classification classification = Classification.INTERNAL;
        private SharingScope sharingScope = SharingScope.RECIPIENTS;
        private UUID inReplyTo;
        private Instant deadline;
        private final List<Attachment> attachments = new ArrayList<>();

        private Builder() {
        }

        public Builder documentId(UUID id) {
            this.documentId = id;
            return this;
        }

        public Builder documentNumber(String number) {
            this.documentNumber = number;
            return this;
        }

        public Builder type(DocumentType type) {
            this.type = type;
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder sender(OrgCode sender) {
            this.sender = sender;
            return this;
        }

        public Builder actionRecipients(List<OrgCode> recipients) {
            this.action.addAll(recipients);
            return this;
        }

        public Builder actionRecipient(OrgCode recipient) {
            this.action.add(recipient);
            return this;
        }

        public Builder informationRecipients(List<OrgCode> recipients) {
            this.information.addAll(recipients);
            return this;
        }

        public Builder precedence(Precedence precedence) {
            this.precedence = precedence;
            return this;
        }

        public Builder classification(Classification classification) {
            this.classification = classification;
            return this;
        }

        public Builder sharingScope(SharingScope scope) {
            this.sharingScope = scope;
            return this;
        }

        public Builder inReplyTo(UUID id) {
            this.inReplyTo = id;
            return this;
        }

        public Builder deadline(Instant deadline) {
            this.deadline = deadline;
            return this;
        }

        public Builder attachment(Attachment attachment) {
            this.attachments.add(attachment);
            return this;
        }

        public Builder attachments(List<Attachment> attachments) {
            this.attachments.addAll(attachments);
            return this;
        }

        public DocumentHeader build() {
            return new DocumentHeader(documentId, documentNumber, type, subject, sender, action, information,
                    precedence, classification, sharingScope, Optional.ofNullable(inReplyTo),
                    Optional.ofNullable(deadline), attachments);
        }
    }
}
