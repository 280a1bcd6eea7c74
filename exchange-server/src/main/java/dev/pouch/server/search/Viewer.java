package dev.pouch.server.search;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.SharingScope;
import dev.pouch.server.directory.Staff;

import java.util.Collection;
import java.util.Objects;

/**
 * Whom a staff-facing archive read is for: their organization, whether it is an HQ department,
 * and their clearance, taken from the staff row read for this very request. {@link #maySee} is
 * the access rule as the service checks it; the database checks the same rule in its policies.
 */
public record Viewer(String actor, OrgCode organization, boolean hq, Classification clearance) {

    public Viewer {
        Objects.requireNonNull(actor);
        Objects.requireNonNull(organization);
        Objects.requireNonNull(clearance);
    }

    public static Viewer of(Staff staff, boolean hq) {
        return new Viewer(staff.identity().toString(), staff.organization(), hq, staff.clearance());
    }

    /**
     * The access rule: the viewer's organization sent or received the document, or the viewer's
     * clearance reaches its classification and its sharing scope admits them (recipients only: no
     * one else; all HQ: staff of HQ departments; the whole exchange: everyone).
     */
    public boolean maySee(Collection<String> parties, Classification classification, SharingScope scope) {
        return maySee(parties.contains(organization.value()), classification, scope);
    }

    /** The same rule, {@code party} saying whether the viewer's organization sent or received the document. */
    public boolean maySee(boolean party, Classification classification, SharingScope scope) {
        if (party) {
            return true;
        }
        if (!classification.isWithin(clearance)) {
            return false;
        }
        return switch (scope) {
            case RECIPIENTS -> false;
            case ALL_HQ -> hq;
            case EXCHANGE -> true;
        };
    }
}
