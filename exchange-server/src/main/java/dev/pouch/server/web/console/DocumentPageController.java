package dev.pouch.server.web.console;

import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.archive.DocumentRepository;
import dev.pouch.server.archive.StoredDocument;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.delivery.RecipientService;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import java.util.UUID;

/**
 * A document's page: its metadata, how its signature was judged, each recipient's timeline
 * (queued, delivered, receipt, signed for, replied), attachments and replies. Visible to staff of
 * the sending or a receiving organization whose clearance reaches the document — to anyone else it
 * does not exist (NOT_FOUND, as over REST). Every read and refusal is audited.
 */
@Controller
class DocumentPageController {

    private final ConsoleAccess access;
    private final RecipientService recipients;
    private final DocumentRepository documents;
    private final ConsoleQueries queries;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    DocumentPageController(ConsoleAccess access, RecipientService recipients, DocumentRepository documents, ConsoleQueries queries,
            AuditLog audit, TransactionTemplate tx) {
        this.access = access;
        this.recipients = recipients;
        this.documents = documents;
        this.queries = queries;
        this.audit = audit;
        this.tx = tx;
    }

    @GetMapping("/console/documents/{id}")
    String document(@PathVariable UUID id, HttpServletRequest request, Model model) {
        Staff me = access.require(request, Role.READER, Role.DRAFTER, Role.RELEASER);
        StoredDocument d;
        try {
            d = recipients.visible(me.identity(), id);
            if (!d.classification().isWithin(me.clearance())) {
                throw new ProtocolException(ErrorCode.NOT_FOUND, "no document " + id);
            }
        } catch (ProtocolException e) {
            tx.executeWithoutResult(s -> audit.record(me.identity().toString(), AuditLog.Action.READ, id.toString(),
                    AuditLog.Outcome.REFUSED, "console, " + e.code().name()));
            throw e;
        }
        model.addAttribute("doc", d);
        model.addAttribute("recipients", documents.recipients(id));
        model.addAttribute("attachments", queries.attachments(id));
        model.addAttribute("replies", queries.replies(id, me.organization(), me.clearance()));
        model.addAttribute("signer", queries.signer(id).orElse(null));
        model.addAttribute("sender", d.issuer().equals(me.organization()));
        tx.executeWithoutResult(s -> audit.record(me.identity().toString(), AuditLog.Action.READ, id.toString(), AuditLog.Outcome.OK,
                "console, document page"));
        return "console/document";
    }
}
