package dev.pouch.server.directory;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Identity;

import java.util.Set;

/** A person of one organization, with roles and a clearance. */
public record Staff(long id, OrgCode organization, String staffId, String displayName, Set<Role> roles,
        Classification clearance, boolean active) {

    public Staff {
        roles = Set.copyOf(roles);
    }

    public Identity identity() {
        return Identity.staff(organization, staffId);
    }

    public boolean has(Role role) {
        return active && roles.contains(role);
    }
}
