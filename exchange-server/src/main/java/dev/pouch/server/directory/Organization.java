package dev.pouch.server.directory;

import dev.pouch.crypto.document.OrgCode;

import java.time.ZoneId;
import java.util.Objects;

/** An HQ department or overseas office (单位). */
public record Organization(OrgCode code, Kind kind, Region region, String country, String city, String nameZh,
        String nameEn, ZoneId timezone) {

    /** What kind of organization. */
    public enum Kind { HQ_DEPARTMENT, OVERSEAS_OFFICE }

    public Organization {
        Objects.requireNonNull(code);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(region);
        Objects.requireNonNull(timezone);
    }
}
