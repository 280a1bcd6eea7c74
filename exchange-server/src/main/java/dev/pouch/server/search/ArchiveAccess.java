package dev.pouch.server.search;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Organization;
import dev.pouch.server.directory.Staff;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Supplier;

/**
 * Runs staff-facing archive reads under the database's access rule: in one transaction that
 * switches to the viewer role ({@code SET LOCAL ROLE}, see V6) with the viewer's organization,
 * clearance and HQ flag set for that transaction only, so that row-level security filters every
 * row the work reads. The role is reset before the audit entry is written in the same transaction,
 * so a read and its audit commit together.
 */
@Component
public class ArchiveAccess {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Directory directory;
    private final AuditLog audit;
    private final String viewerRole;

    ArchiveAccess(JdbcTemplate jdbc, TransactionTemplate tx, Directory directory, AuditLog audit, PouchProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.directory = directory;
        this.audit = audit;
        this.viewerRole = properties.db().viewerRole();
        if (!viewerRole.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain role name: " + viewerRole);
        }
    }

    /** The viewer a staff member is, by their organization's kind as the directory has it now. */
    public Viewer viewer(Staff staff) {
        OrgCode org = staff.organization();
        Organization o = directory.find(org)
                .orElseThrow(() -> new ProtocolException(ErrorCode.FORBIDDEN, org + " is not in the directory"));
        return Viewer.of(staff, o.kind() == Organization.Kind.HQ_DEPARTMENT);
    }

    /** What an archive read found, and what the audit entry says about it. */
    public record Outcome<T>(T result, String subject, String detail) {
    }

    /**
     * Runs {@code work} as {@code viewer} under row-level security, then records {@code action}
     * (OK with the outcome's subject and detail) in the same transaction.
     */
    public <T> T read(Viewer viewer, AuditLog.Action action, Supplier<Outcome<T>> work) {
        return tx.execute(status -> {
            jdbc.execute("SET LOCAL ROLE " + viewerRole);
            jdbc.queryForList("SELECT set_config('pouch.viewer_org', ?, true), set_config('pouch.viewer_clearance', ?, true),"
                    + " set_config('pouch.viewer_hq', ?, true)", viewer.organization().value(), viewer.clearance().name(),
                    String.valueOf(viewer.hq()));
            Outcome<T> outcome = work.get();
            jdbc.execute("RESET ROLE");
            audit.record(viewer.actor(), action, outcome.subject(), AuditLog.Outcome.OK, outcome.detail());
            return outcome.result();
        });
    }

    /** Records a refused archive read (bad request, or nothing the caller may see) in a transaction of its own. */
    public void refused(String actor, AuditLog.Action action, String subject, ProtocolException e) {
        tx.executeWithoutResult(s -> audit.record(actor, action, subject, AuditLog.Outcome.REFUSED,
                e.code().name() + ": " + e.detail()));
    }
}
