package dev.pouch.server.web.console;

import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.search.ArchiveAccess;
import dev.pouch.server.search.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.List;

/**
 * The inbox: what the staff member's organization received (with each document's state for it), or
 * with {@code box=sent} what it sent (with how many recipients signed for it). Read under the shared
 * archive's row-level security as the staff member, so only documents within their clearance are
 * listed; audited with the read.
 */
@Controller
class InboxController {

    private final ConsoleAccess access;
    private final ConsoleQueries queries;
    private final ArchiveAccess archive;

    InboxController(ConsoleAccess access, ConsoleQueries queries, ArchiveAccess archive) {
        this.access = access;
        this.queries = queries;
        this.archive = archive;
    }

    @GetMapping("/console/inbox")
    String inbox(@RequestParam(defaultValue = "received") String box, @RequestParam(defaultValue = "0") int page,
            HttpServletRequest request, Model model) {
        Staff me = access.require(request);
        if (page < 0 || page > 10_000) {
            throw new IllegalArgumentException("page is from 0 to 10000");
        }
        boolean sent = "sent".equals(box);
        Viewer viewer = archive.viewer(me);
        List<ConsoleQueries.Row> rows = archive.read(viewer, AuditLog.Action.INBOX_READ, () -> new ArchiveAccess.Outcome<>(
                sent ? queries.sent(me.organization(), me.clearance(), page) : queries.received(me.organization(), me.clearance(), page),
                me.organization().value(), "console, " + (sent ? "sent" : "received") + ", page " + page));
        model.addAttribute("box", sent ? "sent" : "received");
        model.addAttribute("page", page);
        model.addAttribute("more", rows.size() > ConsoleQueries.PAGE);
        model.addAttribute("rows", rows.subList(0, Math.min(rows.size(), ConsoleQueries.PAGE)));
        return "console/inbox";
    }
}
