package dev.pouch.server.search;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.SearchQuery;
import dev.pouch.server.directory.Region;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A search of the shared archive, validated: the words and "quoted phrases" to find, the exact
 * document number (文号), filters, order and page. Built from REST parameters ({@link #parse}) or
 * from the protocol's {@link SearchQuery} ({@link #of}); anything not understood is refused with
 * INVALID_REQUEST and a sentence saying what is wrong.
 */
public record SearchRequest(String text, Optional<String> number, Set<DocumentType> types, Set<Region> regions,
        Set<OrgCode> organizations, Optional<OrgCode> sender, Optional<Instant> from, Optional<Instant> to,
        Set<Classification> classifications, Set<Precedence> precedences, Sort sort, int page, int size) {

    /** Result order. */
    public enum Sort { RELEVANCE, DATE }

    public static final int MAX_TEXT = 1000;
    public static final int MAX_SIZE = SearchQuery.MAX_PAGE_SIZE;
    public static final int DEFAULT_SIZE = 20;
    /** The REST parameters a search may carry. */
    public static final List<String> PARAMETERS = List.of("q", "number", "type", "region", "org", "sender", "from", "to",
            "zone", "classification", "precedence", "sort", "page", "size");

    public SearchRequest {
        Objects.requireNonNull(text);
        types = Set.copyOf(types);
        regions = Set.copyOf(regions);
        organizations = Set.copyOf(organizations);
        classifications = Set.copyOf(classifications);
        precedences = Set.copyOf(precedences);
        if (text.length() > MAX_TEXT) {
            throw invalid("q is " + text.length() + " characters; at most " + MAX_TEXT);
        }
        if (SearchText.hasLoneCjkCharacter(text.replace("\"", " "))) {
            throw invalid("search for at least two adjacent Chinese characters: the index holds character pairs, so a"
                    + " single character cannot be found");
        }
        if (!text.isBlank() && text.codePoints().noneMatch(Character::isLetterOrDigit)) {
            throw invalid("q '" + text + "' has no letters or digits to search for");
        }
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw invalid("from (" + from.get() + ") must be before to (" + to.get() + ")");
        }
        if (page < 1) {
            throw invalid("page is counted from 1");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw invalid("size is 1 to " + MAX_SIZE);
        }
    }

    /** The words to find, quotes removed: every one must appear. */
    public String words() {
        return text.replace('"', ' ').strip();
    }

    /** What must appear exactly as written: "quoted phrases", and Chinese runs of three or more characters. */
    public List<String> phrases() {
        Set<String> phrases = new LinkedHashSet<>();
        String[] pieces = text.split("\"", -1);
        for (int i = 1; i < pieces.length - 1; i += 2) { // inside a pair of quotes
            if (!pieces[i].isBlank()) {
                phrases.add(pieces[i].strip().replaceAll("\\s+", " "));
            }
        }
        phrases.addAll(SearchText.longCjkRuns(text));
        return List.copyOf(phrases);
    }

    /** The words and phrases to highlight in snippets, longest first. */
    public List<String> highlights() {
        Set<String> terms = new LinkedHashSet<>(phrases());
        for (String w : words().split("[\\s\\p{Punct}，。、；：！？（）《》“”]+")) {
            if (!w.isBlank()) {
                terms.add(w);
            }
        }
        return terms.stream().sorted((a, b) -> b.length() - a.length()).toList();
    }

    /** For the audit log and for people: what was asked, in one line. */
    public String describe() {
        StringBuilder b = new StringBuilder("q=").append(text.isBlank() ? "(none)" : text);
        number.ifPresent(n -> b.append(", number ").append(n));
        list(b, "type", types);
        list(b, "region", regions);
        if (!organizations.isEmpty()) {
            b.append(", org ").append(organizations.stream().map(OrgCode::value).sorted().collect(Collectors.joining(",")));
        }
        sender.ifPresent(s -> b.append(", sender ").append(s.value()));
        from.ifPresent(f -> b.append(", from ").append(f));
        to.ifPresent(t -> b.append(", to ").append(t));
        list(b, "classification", classifications);
        list(b, "precedence", precedences);
        return b.append(", sort ").append(sort.name().toLowerCase(Locale.ROOT)).append(", page ").append(page)
                .append(" of ").append(size).toString();
    }

    private static void list(StringBuilder b, String name, Set<? extends Enum<?>> values) {
        if (!values.isEmpty()) {
            b.append(", ").append(name).append(' ').append(values.stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
        }
    }

    /** The request REST parameters describe. Dates are {@code YYYY-MM-DD} (in {@code zone}, UTC by default) or ISO-8601 instants. */
    public static SearchRequest parse(Map<String, String[]> parameters) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        PARAMETERS.forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw invalid("unknown parameter " + String.join(", ", unknown) + " (known: " + String.join(", ", PARAMETERS) + ")");
        }
        ZoneId zone = Optional.ofNullable(single(parameters, "zone")).map(z -> {
            try {
                return ZoneId.of(z.strip());
            } catch (RuntimeException e) {
                throw invalid("zone '" + z + "' is not a time zone such as Asia/Shanghai or +08:00");
            }
        }).orElse(ZoneId.of("UTC"));
        Optional<Instant> from = Optional.ofNullable(single(parameters, "from")).map(v -> instant("from", v, zone, false));
        Optional<Instant> to = Optional.ofNullable(single(parameters, "to")).map(v -> instant("to", v, zone, true));
        return new SearchRequest(
                Optional.ofNullable(single(parameters, "q")).orElse("").strip(),
                Optional.ofNullable(single(parameters, "number")).map(String::strip),
                choices("type", parameters, DocumentType.class),
                choices("region", parameters, Region.class),
                Set.copyOf(values(parameters, "org").stream().map(SearchRequest::organization).toList()),
                Optional.ofNullable(single(parameters, "sender")).map(SearchRequest::organization),
                from, to,
                choices("classification", parameters, Classification.class),
                choices("precedence", parameters, Precedence.class),
                Optional.ofNullable(single(parameters, "sort")).map(s -> choice("sort", s, Sort.class)).orElse(Sort.RELEVANCE),
                Optional.ofNullable(single(parameters, "page")).map(p -> number("page", p)).orElse(1),
                Optional.ofNullable(single(parameters, "size")).map(s -> number("size", s)).orElse(DEFAULT_SIZE));
    }

    /** The request a protocol query describes (its page is counted from 0). */
    public static SearchRequest of(SearchQuery q) {
        return new SearchRequest(q.text().strip(), Optional.of(q.documentNumber().strip()).filter(s -> !s.isEmpty()),
                choices("types", q.types(), DocumentType.class), choices("regions", q.regions(), Region.class),
                Set.copyOf(q.organizations().stream().map(SearchRequest::organization).toList()),
                Optional.of(q.sender().strip()).filter(s -> !s.isEmpty()).map(SearchRequest::organization),
                q.from(), q.to(),
                choices("classifications", q.classifications(), Classification.class),
                choices("precedences", q.precedences(), Precedence.class),
                choice("sort", q.sort(), Sort.class), q.page() + 1, q.pageSize());
    }

    private static Instant instant(String name, String value, ZoneId zone, boolean endOfDay) {
        String v = value.strip();
        try {
            LocalDate day = LocalDate.parse(v);
            return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException notAnInstant) {
                throw invalid(name + " '" + value + "' is not a date (2026-11-23) or an instant (2026-11-23T08:00:00Z)");
            }
        }
    }

    private static OrgCode organization(String code) {
        String c = code.strip().toUpperCase(Locale.ROOT);
        if (!OrgCode.isValid(c)) {
            throw invalid("'" + code + "' is not an organization code such as HQ-EUR or FR-EMB");
        }
        return OrgCode.of(c);
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw invalid(name + " '" + value + "' is not a whole number");
        }
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

    /** Every value of a parameter that may repeat or list values with commas. */
    private static List<String> values(Map<String, String[]> parameters, String name) {
        List<String> out = new ArrayList<>();
        for (String v : parameters.getOrDefault(name, new String[0])) {
            Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private static <E extends Enum<E>> Set<E> choices(String name, Map<String, String[]> parameters, Class<E> type) {
        return choices(name, values(parameters, name), type);
    }

    private static <E extends Enum<E>> Set<E> choices(String name, List<String> values, Class<E> type) {
        Set<E> out = EnumSet.noneOf(type);
        values.forEach(v -> out.add(choice(name, v, type)));
        return out;
    }

    private static <E extends Enum<E>> E choice(String name, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(name + " '" + value + "' is not one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    static ProtocolException invalid(String sentence) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, sentence);
    }
}
