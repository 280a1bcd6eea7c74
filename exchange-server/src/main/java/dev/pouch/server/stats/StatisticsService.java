package dev.pouch.server.stats;

import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Organization;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Per-unit statistics for leadership: documents sent and received, reply rate, surveys answered,
 * on-time rate and median response time, per organization, per region or in total, for a period.
 *
 * <p>Who sees what: staff of an HQ department (any role), administrators and auditors see every
 * unit; staff of an overseas office see their own organization's figures only, and asking for
 * another organization, another region or kind, or a grouping by region is refused (FORBIDDEN).
 * Every read, and every refusal, is audited.
 */
@Service
public class StatisticsService {

    private final StatisticsRepository repository;
    private final Directory directory;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    StatisticsService(StatisticsRepository repository, Directory directory, AuditLog audit, TransactionTemplate tx, Clock clock) {
        this.repository = repository;
        this.directory = directory;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * The statistics a request's parameters ask for, as {@code caller} may see them.
     * {@code csvAccepted}: the request prefers CSV (its Accept header), unless a format is given.
     */
    public Statistics report(Staff caller, Map<String, String[]> parameters, boolean csvAccepted) {
        String actor = caller.identity().toString();
        StatisticsQuery query = null;
        try {
            query = StatisticsQuery.parse(parameters, csvAccepted, directory::exists, clock);
            StatisticsQuery visible = visibleTo(caller, query);
            return tx.execute(s -> {
                Statistics statistics = repository.figures(visible);
                audit.record(actor, AuditLog.Action.STATISTICS_READ, visible.describe(), AuditLog.Outcome.OK,
                        statistics.rows().size() + " rows");
                return statistics;
            });
        } catch (ProtocolException e) {
            String asked = query != null ? query.describe() : parameters(parameters);
            tx.executeWithoutResult(s -> audit.record(actor, AuditLog.Action.STATISTICS_READ, asked, AuditLog.Outcome.REFUSED,
                    e.code().name() + ": " + e.detail()));
            throw e;
        }
    }

    /** The query narrowed to what the caller may see, or FORBIDDEN if it asks for more. */
    private StatisticsQuery visibleTo(Staff caller, StatisticsQuery query) {
        Organization own = directory.find(caller.organization())
                .orElseThrow(() -> new ProtocolException(ErrorCode.FORBIDDEN, caller.organization() + " is not in the directory"));
        if (own.kind() == Organization.Kind.HQ_DEPARTMENT || caller.has(Role.ADMIN) || caller.has(Role.AUDITOR)) {
            return query;
        }
        String only = "staff of " + own.code().value() + " see the statistics of " + own.code().value() + " only";
        if (query.grouping() == StatisticsQuery.Grouping.REGION) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, only + ", not a grouping by region");
        }
        if (query.organization().isPresent() && !query.organization().get().equals(own.code())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, only + ", not those of " + query.organization().get().value());
        }
        if (query.region().isPresent() && query.region().get() != own.region()) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, only + ", not those of the region " + query.region().get());
        }
        if (query.kind().isPresent() && query.kind().get() != own.kind()) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, only + ", not those of the " + query.kind().get() + " units");
        }
        return query.onlyFor(own.code());
    }

    private static String parameters(Map<String, String[]> parameters) {
        return new TreeMap<>(parameters).entrySet().stream().map(e -> e.getKey() + "=" + String.join(",", e.getValue()))
                .collect(Collectors.joining("&"));
    }
}
