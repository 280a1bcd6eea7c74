package dev.pouch.server.directory;

/** What a staff member may do. */
public enum Role {
    /** Prepares documents. */
    DRAFTER,
    /** Releases (submits) documents on behalf of the organization. */
    RELEASER,
    /** Reads what the organization received and what is shared with it. */
    READER,
    /** Administers the exchange: organizations, staff, certificates. */
    ADMIN,
    /** Verifies the audit trail. */
    AUDITOR
}
