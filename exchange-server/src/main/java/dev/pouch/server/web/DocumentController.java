package dev.pouch.server.web;

import dev.pouch.protocol.message.StatusReply;
import dev.pouch.server.delivery.RecipientService;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Document status for people and scripts, over HTTPS with a staff certificate. */
@RestController
@RequestMapping("/api/documents")
class DocumentController {

    /** Each recipient's state. */
    record Status(UUID documentId, List<Recipient> recipients) {
        record Recipient(String organization, String state, Instant updatedAt, String signedForBy) {
        }
    }

    private final Callers callers;
    private final RecipientService recipients;

    DocumentController(Callers callers, RecipientService recipients) {
        this.callers = callers;
        this.recipients = recipients;
    }

    @GetMapping("/{id}/status")
    Status status(@PathVariable UUID id, HttpServletRequest request) {
        Staff caller = callers.require(request, Role.READER, Role.DRAFTER, Role.RELEASER);
        StatusReply reply = recipients.status(caller.identity(), id);
        return new Status(id, reply.recipients().stream()
                .map(r -> new Status.Recipient(r.organization(), r.state(), r.updatedAt(), r.signedForBy())).toList());
    }
}
