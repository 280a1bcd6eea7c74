package dev.pouch.server.stats;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.directory.Organization;
import dev.pouch.server.directory.Region;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a statistics request asks for, validated: how to group, which units (region, organization,
 * kind), which period, and in which form. Built from the request's parameters with
 * {@link #parse}, which refuses anything it does not understand (including a misspelt parameter
 * name, which would otherwise silently widen the selection).
 */
public record StatisticsQuery(Grouping grouping, Optional<Region> region, Optional<OrgCode> organization,
        Optional<Organization.Kind> kind, Period period, Format format) {

    /** How rows are formed. */
    public enum Grouping { ORGANIZATION, REGION, TOTAL }

    /** The form of the answer. */
    public enum Format { JSON, CSV }

    /** The parameters a request may carry. */
    public static final List<String> PARAMETERS = List.of("by", "region", "org", "kind", "period", "from", "to", "zone", "format");

    public StatisticsQuery {
        Objects.requireNonNull(grouping);
        Objects.requireNonNull(region);
        Objects.requireNonNull(organization);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(period);
        Objects.requireNonNull(format);
    }

    /**
     * The query of a request's parameters. {@code csvAccepted}: the request's Accept header asks for
     * CSV, which {@code format} overrides. {@code organizations} says which codes exist.
     */
    public static StatisticsQuery parse(Map<String, String[]> parameters, boolean csvAccepted, Predicate<OrgCode> organizations,
            Clock clock) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        PARAMETERS.forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw invalid("unknown parameter " + String.join(", ", unknown) + " (known: " + String.join(", ", PARAMETERS) + ")");
        }
        Grouping grouping = choice("by", single(parameters, "by"), Grouping.class).orElse(Grouping.ORGANIZATION);
        Optional<Region> region = choice("region", single(parameters, "region"), Region.class);
        Optional<Organization.Kind> kind = choice("kind", single(parameters, "kind"), Organization.Kind.class);
        Optional<OrgCode> organization = Optional.ofNullable(single(parameters, "org")).map(code -> {
            String c = code.strip().toUpperCase(Locale.ROOT);
            if (!OrgCode.isValid(c) || !organizations.test(OrgCode.of(c))) {
                throw invalid("'" + code + "' is not an organization of this exchange");
            }
            return OrgCode.of(c);
        });
        Format format = choice("format", single(parameters, "format"), Format.class).orElse(csvAccepted ? Format.CSV : Format.JSON);
        Period period = Period.parse(single(parameters, "period"), single(parameters, "from"), single(parameters, "to"),
                single(parameters, "zone"), clock);
        return new StatisticsQuery(grouping, region, organization, kind, period, format);
    }

    /** The same query for one organization only. */
    public StatisticsQuery onlyFor(OrgCode code) {
        return new StatisticsQuery(grouping, region, Optional.of(code), kind, period, format);
    }

    /** For the audit log and for people: what was asked, in one line. */
    public String describe() {
        StringBuilder b = new StringBuilder("by ").append(grouping.name().toLowerCase(Locale.ROOT));
        region.ifPresent(r -> b.append(", region ").append(r));
        organization.ifPresent(o -> b.append(", organization ").append(o.value()));
        kind.ifPresent(k -> b.append(", kind ").append(k));
        b.append(", period ").append(period.label()).append(" [").append(period.fromInZone()).append(", ")
                .append(period.toInZone()).append(") ").append(period.zone()).append(", as ").append(format);
        return b.toString();
    }

    private static String single(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        if (values == null || values.length == 0) {
            return null;
        }
        if (values.length > 1) {
            throw invalid(name + " is given " + values.length + " times; give it once");
        }
        return values[0].isBlank() ? null : values[0];
    }

    private static <E extends Enum<E>> Optional<E> choice(String name, String value, Class<E> type) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw invalid(name + " '" + value + "' is not one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .collect(Collectors.joining(", ")));
        }
    }

    private static ProtocolException invalid(String sentence) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, sentence);
    }
}
