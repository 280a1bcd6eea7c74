package dev.pouch.server.web.console;

import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.List;

/**
 * The inbox: what the staff member's organization received (with each document's state for it), or
 * with {@code box=sent} what it sent (with how many recipients signed for it). Only documents within
 * the member's clearance are listed. Audited.
 */
@Controller
class InboxController {

    private final ConsoleAccess access;
    private final ConsoleQueries queries;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    InboxController(ConsoleAccess access, ConsoleQueries queries, AuditLog audit, TransactionTemplate tx) {
        this.access = access;
        this.queries = queries;
        this.audit = audit;
        this.tx = tx;
    }

    @GetMapping("/console/inbox")
    String inbox(@RequestParam(defaultValue = "received") String box, @RequestParam(defaultValue = "0") int page,
            HttpServletRequest request, Model model) {
        Staff me = access.require(request, Role.READER, Role.DRAFTER, Role.RELEASER);
        if (page < 0 || page > 10_000) {
            throw new IllegalArgumentException("page is from 0 to 10000");
        }
        boolean sent = "sent".equals(box);
        List<ConsoleQueries.Row> rows = sent ? queries.sent(me.organization(), me.clearance(), page)
                : queries.received(me.organization(), me.clearance(), page);
        tx.executeWithoutResult(s -> audit.record(me.identity().toString(), AuditLog.Action.INBOX_READ, me.organization().value(),
                AuditLog.Outcome.OK, "console, " + (sent ? "sent" : "received") + ", page " + page));
        model.addAttribute("box", sent ? "sent" : "received");
        model.addAttribute("page", page);
        model.addAttribute("more", rows.size() > ConsoleQueries.PAGE);
        model.addAttribute("rows", rows.subList(0, Math.min(rows.size(), ConsoleQueries.PAGE)));
        return "console/inbox";
    }
}
