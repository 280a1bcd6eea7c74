package dev.pouch.protocol.message;

import java.util.List;

/** Asks for organizations (by code, by region, or all) with their certificates. */
public record DirectoryQuery(List<String> organizations, List<String> regions, boolean all) implements Message {
    public DirectoryQuery {
        organizations = Checks.list(organizations, 4096, "organizations");
        regions = Checks.list(regions, 16, "regions");
    }

    public static DirectoryQuery everything() {
        return new DirectoryQuery(List.of(), List.of(), true);
    }
}
