package dev.pouch.server.web.console;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Organization;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Formatting for the console's templates ({@code @consoleNames} in Thymeleaf): organization names in
 * the reader's language, times in a given zone, sizes and countdowns.
 */
@Component("consoleNames")
class ConsoleNames {

    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter TIME_ZONE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz");

    private final Directory directory;
    private final Clock clock;

    ConsoleNames(Directory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /** "欧洲司" or "Department of European Affairs" for a code; the code itself if unknown. */
    public String org(String code, String lang) {
        return organization(code).map(o -> "en".equals(lang) ? o.nameEn() : o.nameZh()).orElse(code == null ? "" : code);
    }

    /** An instant as Beijing time (the ministry's working zone), e.g. "2026-05-04 14:30". */
    public String time(Instant at) {
        return at == null ? "" : TIME.format(at.atZone(BEIJING));
    }

    /** An instant in an organization's own zone, e.g. "2026-05-04 08:30 CEST". */
    public String localTime(Instant at, String organization) {
        if (at == null) {
            return "";
        }
        ZoneId zone = organization(organization).map(Organization::timezone).orElse(BEIJING);
        return TIME_ZONE.format(at.atZone(zone));
    }

    public String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }

    /** Whole minutes from now until {@code deadline} (negative once past), for countdowns. */
    public long minutesLeft(Instant deadline) {
        return deadline == null ? 0 : Duration.between(clock.instant(), deadline).toMinutes();
    }

    /** A countdown such as "3d 4h 12m" or "-1d 2h 0m" (past). */
    public String countdown(Instant deadline) {
        long m = minutesLeft(deadline);
        long a = Math.abs(m);
        return (m < 0 ? "-" : "") + (a / 1440) + "d " + (a % 1440 / 60) + "h " + (a % 60) + "m";
    }

    private Optional<Organization> organization(String code) {
        return code != null && OrgCode.isValid(code) ? directory.find(OrgCode.of(code)) : Optional.empty();
    }
}
