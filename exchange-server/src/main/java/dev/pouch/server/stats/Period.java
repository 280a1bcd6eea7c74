package dev.pouch.server.stats;

import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The half-open interval [from, to) of acceptance times that statistics count, and the time zone
 * its calendar dates were read in (Asia/Shanghai unless another is asked for): a month
 * ({@code 2026-11}), a quarter ({@code 2026-Q4}), a year ({@code 2026}), or two dates or times
 * ({@code from=2026-11-01&to=2026-12-01}: the start of each day in the zone; {@code to} is not
 * included). Without any of these, the current month.
 */
public record Period(Instant from, Instant to, ZoneId zone, String label) {

    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])", Pattern.CASE_INSENSITIVE);

    public Period {
        Objects.requireNonNull(from);
        Objects.requireNonNull(to);
        Objects.requireNonNull(zone);
        Objects.requireNonNull(label);
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a period ends after it begins");
        }
    }

    /**
     * The period a request names; each argument may be null. Refuses, with INVALID_REQUEST and a
     * sentence, a malformed value, {@code period} together with {@code from}/{@code to}, one of
     * {@code from}/{@code to} without the other, or an empty or reversed interval.
     */
    public static Period parse(String period, String from, String to, String zone, Clock clock) {
        ZoneId z = zone(zone);
        if (period != null && (from != null || to != null)) {
            throw invalid("give either period or from and to, not both");
        }
        if (period != null) {
            return named(period.strip(), z);
        }
        if (from == null && to == null) {
            YearMonth now = YearMonth.from(clock.instant().atZone(z));
            return month(now, z);
        }
        if (from == null || to == null) {
            throw invalid("give both from and to (to is not included), e.g. from=2026-11-01&to=2026-12-01");
        }
        Instant start = instant("from", from.strip(), z);
        Instant end = instant("to", to.strip(), z);
        if (!start.isBefore(end)) {
            throw invalid("from (" + from.strip() + ") must be before to (" + to.strip() + "); to is not included");
        }
        return new Period(start, end, z, from.strip() + "/" + to.strip());
    }

    /** The start as a local time of the period's zone. */
    public OffsetDateTime fromInZone() {
        return from.atZone(zone).toOffsetDateTime();
    }

    /** The (excluded) end as a local time of the period's zone. */
    public OffsetDateTime toInZone() {
        return to.atZone(zone).toOffsetDateTime();
    }

    private static Period named(String period, ZoneId zone) {
        Matcher quarter = QUARTER.matcher(period);
        try {
            if (YEAR.matcher(period).matches()) {
                Year year = Year.parse(period);
                return new Period(start(year.atDay(1), zone), start(year.plusYears(1).atDay(1), zone), zone, period);
            }
            if (MONTH.matcher(period).matches()) {
                return month(YearMonth.parse(period), zone);
            }
        } catch (DateTimeParseException e) {
            throw invalid("period '" + period + "' is not a month, quarter or year (2026-11, 2026-Q4, 2026)");
        }
        if (quarter.matches()) {
            YearMonth first = YearMonth.of(Integer.parseInt(quarter.group(1)), (Integer.parseInt(quarter.group(2)) - 1) * 3 + 1);
            return new Period(start(first.atDay(1), zone), start(first.plusMonths(3).atDay(1), zone), zone,
                    period.toUpperCase(Locale.ROOT));
        }
        throw invalid("period '" + period + "' is not a month, quarter or year (2026-11, 2026-Q4, 2026)");
    }

    private static Period month(YearMonth month, ZoneId zone) {
        return new Period(start(month.atDay(1), zone), start(month.plusMonths(1).atDay(1), zone), zone, month.toString());
    }

    private static Instant start(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant();
    }

    /** A date (the start of that day in the zone), a local date-time in the zone, or a time with an offset. */
    private static Instant instant(String name, String value, ZoneId zone) {
        try {
            return start(LocalDate.parse(value), zone);
        } catch (DateTimeParseException notADate) {
            // try the longer forms
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notOffset) {
            // a local time, perhaps
        }
        try {
            return ZonedDateTime.of(LocalDateTime.parse(value), zone).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name + " '" + value + "' is not a date (2026-11-01) or a time (2026-11-01T08:00 or 2026-11-01T08:00+01:00)");
        }
    }

    private static ZoneId zone(String zone) {
        if (zone == null || zone.isBlank()) {
            return DEFAULT_ZONE;
        }
        try {
            return ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw invalid("zone '" + zone + "' is not a time zone (e.g. Asia/Shanghai, Europe/Paris, +08:00)");
        }
    }

    private static ProtocolException invalid(String sentence) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, sentence);
    }
}
