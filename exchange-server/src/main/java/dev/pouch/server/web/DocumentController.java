package dev.pouch.server.web;

import dev.pouch.protocol.message.StatusReply;
import dev.pouch.server.delivery.RecipientService;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.search.DocumentReader;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Documents for people and scripts, over HTTPS with a staff certificate: the status of one's own
 * organization's documents, and any document of the shared archive the access rule lets the caller
 * see — its metadata ({@code GET /api/documents/{id}}) and attachments
 * ({@code GET /api/documents/{id}/attachments/{index}}). A document the caller may not see is
 * answered exactly like one that does not exist.
 */
@RestController
@RequestMapping("/api/documents")
class DocumentController {

    /** Each recipient's state. */
    record Status(UUID documentId, List<Recipient> recipients) {
        record Recipient(String organization, String state, Instant updatedAt, String signedForBy) {
        }
    }

    /** A document's metadata, as JSON. */
    record View(UUID id, String number, String type, String subject, String sender, String senderRegion, String classification,
            String precedence, String sharingScope, UUID inReplyTo, Instant deadline, String submittedBy, Instant acceptedAt,
            long contentSize, List<RecipientView> recipients, List<AttachmentView> attachments) {
    }

    record RecipientView(String organization, String role, String state, Instant deliveredAt, Instant signedForAt,
            String signedForBy) {
    }

    record AttachmentView(int index, String name, String declaredType, String detectedType, long size, String href) {
    }

    private final Callers callers;
    private final RecipientService recipients;
    private final DocumentReader reader;

    DocumentController(Callers callers, RecipientService recipients, DocumentReader reader) {
        this.callers = callers;
        this.recipients = recipients;
        this.reader = reader;
    }

    @GetMapping("/{id}")
    View document(@PathVariable UUID id, HttpServletRequest request) {
        Staff caller = callers.require(request);
        DocumentReader.DocumentView d = reader.read(caller, id);
        return new View(d.id(), d.number(), d.type(), d.subject(), d.sender(), d.senderRegion(), d.classification(), d.precedence(),
                d.sharingScope(), d.inReplyTo().orElse(null), d.deadline().orElse(null), d.submittedBy(), d.acceptedAt(),
                d.contentSize(), d.recipients().stream().map(r -> new RecipientView(r.organization(), r.role(), r.state(),
                        r.deliveredAt().orElse(null), r.signedForAt().orElse(null), r.signedForBy().orElse(null))).toList(),
                d.attachments().stream().map(a -> new AttachmentView(a.index(), a.name(), a.declaredType(), a.detectedType(),
                        a.size(), "/api/documents/" + id + "/attachments/" + a.index())).toList());
    }

    @GetMapping("/{id}/attachments/{index}")
    ResponseEntity<StreamingResponseBody> attachment(@PathVariable UUID id, @PathVariable int index, HttpServletRequest request) {
        Staff caller = callers.require(request);
        DocumentReader.Content content = reader.attachment(caller, id, index);
        MediaType type;
        try {
            type = MediaType.parseMediaType(content.info().detectedType());
        } catch (RuntimeException e) {
            type = MediaType.APPLICATION_OCTET_STREAM;
        }
        return ResponseEntity.ok().contentType(type).contentLength(content.info().size())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(content.info().name(), StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .body(content::writeTo);
    }

    @GetMapping("/{id}/status")
    Status status(@PathVariable UUID id, HttpServletRequest request) {
        Staff caller = callers.require(request, Role.READER, Role.DRAFTER, Role.RELEASER);
        StatusReply reply = recipients.status(caller.identity(), id);
        return new Status(id, reply.recipients().stream()
                .map(r -> new Status.Recipient(r.organization(), r.state(), r.updatedAt(), r.signedForBy())).toList());
    }
}
