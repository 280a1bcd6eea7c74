package dev.pouch.client;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.Precedence;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A document to send, as its drafter describes it. Recipients are organization codes
 * ({@code FR-EMB}) or whole regions ({@code region:EUROPE}); the client expands regions from the
 * exchange's directory and refuses unknown organizations before anything is sent.
 */
public record Draft(UUID id, String number, DocumentType type, String subject, Classification classification,
        Precedence precedence, List<String> actionRecipients, List<String> informationRecipients, List<Path> files,
        Optional<UUID> inReplyTo, Optional<Instant> deadline) {

    public Draft {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(precedence, "precedence");
        actionRecipients = List.copyOf(actionRecipients);
        informationRecipients = List.copyOf(informationRecipients);
        files = List.copyOf(files);
        Objects.requireNonNull(inReplyTo, "inReplyTo");
        Objects.requireNonNull(deadline, "deadline");
        if (number == null || number.isBlank()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "a document needs its number (文号)");
        }
        if (subject == null || subject.isBlank()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "a document needs a subject");
        }
        if (actionRecipients.isEmpty()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "a document needs at least one action recipient");
        }
        if (files.isEmpty()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "a document needs at least one file");
        }
        if (type == DocumentType.SURVEY_REQUEST && deadline.isEmpty()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "a survey request needs a deadline (--deadline)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects a draft; {@link #build()} checks it. */
    public static final class Builder {
        private UUID id = UUID.randomUUID();
        private String number;
        private DocumentType type = DocumentType.NOTICE;
        private String subject;
        private Classification classification = Classification.INTERNAL;
        private Precedence precedence = Precedence.ROUTINE;
        private final List<String> action = new ArrayList<>();
        private final List<String> information = new ArrayList<>();
        private final List<Path> files = new ArrayList<>();
        private UUID inReplyTo;
        private Instant deadline;

        public Builder id(UUID id) {
            this.id = id;
            return this;
        }

        public Builder number(String number) {
            this.number = number;
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

        public Builder classification(Classification classification) {
            this.classification = classification;
            return this;
        }

        public Builder precedence(Precedence precedence) {
            this.precedence = precedence;
            return this;
        }

        public Builder to(String... recipients) {
            action.addAll(List.of(recipients));
            return this;
        }

        public Builder to(List<String> recipients) {
            action.addAll(recipients);
            return this;
        }

        public Builder copyTo(List<String> recipients) {
            information.addAll(recipients);
            return this;
        }

        public Builder file(Path file) {
            files.add(file);
            return this;
        }

        public Builder files(List<Path> paths) {
            files.addAll(paths);
            return this;
        }

        public Builder inReplyTo(UUID original) {
            this.inReplyTo = original;
            return this;
        }

        public Builder deadline(Instant deadline) {
            this.deadline = deadline;
            return this;
        }

        public Draft build() {
            return new Draft(id, number, type, subject, classification, precedence, action, information, files,
                    Optional.ofNullable(inReplyTo), Optional.ofNullable(deadline));
        }
    }
}
