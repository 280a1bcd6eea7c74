package dev.pouch.server.archive;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.document.SharingScope;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A document as the archive holds it: the metadata from its verified header, and where its sealed objects are. */
public record StoredDocument(UUID id, String number, OrgCode issuer, DocumentType type, String subject,
        Classification classification, Precedence precedence, SharingScope sharingScope, Optional<UUID> inReplyTo,
        Optional<Instant> deadline, String submittedBy, Instant acceptedAt, UUID mainBlob, long mainSize, int partCount) {
}
