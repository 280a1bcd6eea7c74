package dev.pouch.server.web.console;

import dev.pouch.server.archive.DocumentRepository;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.search.DocumentReader;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A document's page: metadata, how its signature was judged, each recipient's timeline (queued,
 * delivered, signed receipt, signed for, replied), attachments (downloadable) and replies. Who may
 * see it is decided by the shared archive's reader — the same rule, row-level security and audit
 * as {@code GET /api/documents/{id}} — and a document one may not see is answered exactly like one
 * that does not exist (NOT_FOUND). The timeline and signer are read only once the reader allowed it.
 */
@Controller
class DocumentPageController {

    private final ConsoleAccess access;
    private final DocumentReader reader;
    private final DocumentRepository documents;
    private final ConsoleQueries queries;

    DocumentPageController(ConsoleAccess access, DocumentReader reader, DocumentRepository documents, ConsoleQueries queries) {
        this.access = access;
        this.reader = reader;
        this.documents = documents;
        this.queries = queries;
    }

    @GetMapping("/console/documents/{id}")
    String document(@PathVariable UUID id, HttpServletRequest request, Model model) {
        Staff me = access.require(request);
        DocumentReader.DocumentView d = reader.read(me, id);
        model.addAttribute("doc", d);
        model.addAttribute("recipients", documents.recipients(id));
        model.addAttribute("replies", queries.replies(id, me.organization(), me.clearance()));
        model.addAttribute("signer", queries.signer(id).orElse(null));
        return "console/document";
    }

    @GetMapping("/console/documents/{id}/attachments/{index}")
    ResponseEntity<StreamingResponseBody> attachment(@PathVariable UUID id, @PathVariable int index, HttpServletRequest request) {
        Staff me = access.require(request);
        DocumentReader.Content content = reader.attachment(me, id, index);
        // Always a download, never rendered by the browser (an HTML attachment must not run as this site).
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).contentLength(content.info().size())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(content.info().name(), StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .body(content::writeTo);
    }
}
