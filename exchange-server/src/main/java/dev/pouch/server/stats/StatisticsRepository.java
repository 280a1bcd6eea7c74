package dev.pouch.server.stats;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The statistics query: one SQL statement that aggregates in PostgreSQL, for the selected units,
 * per group and over all groups (grouping sets). Each unit of the selection appears once in the
 * {@code unit} set, so a unit without any activity still gives its group a row of zeros.
 */
@Repository
class StatisticsRepository {

    // Counting rules (docs/statistics.md):
    // - documents by their acceptance time in [from, to): sent by issuer; received, delivered, action items and replies
    //   by recipient row, whose queued_at is the document's acceptance time (written with it, never changed), so a
    //   period's recipient rows are found by index without reading their documents;
    // - an action item is answered by a reply (replied_at) or by a survey response to the request it is; it is not an
    //   action item at all if it is the request of a survey withdrawn before this unit answered;
    // - survey targets by their survey's creation time; a target of a withdrawn survey counts only if it responded;
    // - response time = first response − delivery of the request to the target (its acceptance if never recorded).
    static final String SQL = """
            WITH unit AS (
                SELECT o.code, o.kind, o.region,
                       CASE CAST(:grouping AS text) WHEN 'ORGANIZATION' THEN o.code WHEN 'REGION' THEN o.region ELSE 'TOTAL' END AS grp
                FROM organization o
                WHERE (CAST(:region AS text) IS NULL OR o.region = CAST(:region AS text))
                  AND (CAST(:organization AS text) IS NULL OR o.code = CAST(:organization AS text))
                  AND (CAST(:kind AS text) IS NULL OR o.kind = CAST(:kind AS text))
            ),
            sent AS (
                SELECT d.issuer AS code, count(*) AS sent
                FROM document d
                WHERE d.issuer IN (SELECT code FROM unit) AND d.accepted_at >= :from AND d.accepted_at < :to
                GROUP BY d.issuer
            ),
            survey_request AS (
                SELECT st.request_id, st.organization, bool_or(st.response_id IS NOT NULL) AS answered,
                       bool_and(s.state = 'WITHDRAWN') AS withdrawn
                FROM survey_target st
                JOIN survey s ON s.id = st.survey_id
                JOIN document d ON d.id = st.request_id
                WHERE st.organization IN (SELECT code FROM unit) AND d.accepted_at >= :from AND d.accepted_at < :to
                GROUP BY st.request_id, st.organization
            ),
            received AS (
                SELECT r.organization AS code, count(*) AS received, count(r.delivered_at) AS delivered,
                       count(*) FILTER (WHERE r.role = 'ACTION'
                           AND (q.withdrawn IS NOT TRUE OR q.answered IS TRUE OR r.replied_at IS NOT NULL)) AS action_items,
                       count(*) FILTER (WHERE r.role = 'ACTION' AND (r.replied_at IS NOT NULL OR q.answered IS TRUE)) AS replied
                FROM recipient r
                LEFT JOIN survey_request q ON q.request_id = r.document_id AND q.organization = r.organization
                WHERE r.organization IN (SELECT code FROM unit) AND r.queued_at >= :from AND r.queued_at < :to
                GROUP BY r.organization
            ),
            target AS (
                SELECT st.organization, s.requester, st.response_id IS NOT NULL AS answered, st.on_time IS TRUE AS on_time,
                       extract(epoch FROM st.responded_at - coalesce(r.delivered_at, d.accepted_at)) AS seconds
                FROM survey s
                JOIN survey_target st ON st.survey_id = s.id
                JOIN document d ON d.id = st.request_id
                LEFT JOIN recipient r ON r.document_id = st.request_id AND r.organization = st.organization
                WHERE s.created_at >= :from AND s.created_at < :to AND (s.state <> 'WITHDRAWN' OR st.response_id IS NOT NULL)
                  AND (st.organization IN (SELECT code FROM unit) OR s.requester IN (SELECT code FROM unit))
            ),
            asked AS (
                SELECT t.organization AS code, count(*) AS asked, count(*) FILTER (WHERE t.answered) AS answered,
                       count(*) FILTER (WHERE t.answered AND t.on_time) AS on_time
                FROM target t
                GROUP BY t.organization
            ),
            survey_sent AS (
                SELECT s.requester AS code, count(*) AS surveys
                FROM survey s
                WHERE s.requester IN (SELECT code FROM unit) AND s.created_at >= :from AND s.created_at < :to
                GROUP BY s.requester
            ),
            requested AS (
                SELECT t.requester AS code, count(*) AS targets, count(*) FILTER (WHERE t.answered) AS responses
                FROM target t
                GROUP BY t.requester
            ),
            figures AS (
                SELECT u.grp, GROUPING(u.grp) AS is_total, min(u.kind) AS kind_order, min(u.region) AS region_order,
                       count(*) AS units,
                       coalesce(sum(se.sent), 0) AS sent,
                       coalesce(sum(rc.received), 0) AS received,
                       coalesce(sum(rc.delivered), 0) AS delivered,
                       coalesce(sum(rc.action_items), 0) AS action_items,
                       coalesce(sum(rc.replied), 0) AS replied,
                       coalesce(sum(a.asked), 0) AS surveys_asked,
                       coalesce(sum(a.answered), 0) AS surveys_answered,
                       coalesce(sum(a.on_time), 0) AS answered_on_time,
                       coalesce(sum(ss.surveys), 0) AS surveys_sent,
                       coalesce(sum(rq.targets), 0) AS survey_targets,
                       coalesce(sum(rq.responses), 0) AS survey_responses
                FROM unit u
                LEFT JOIN sent se ON se.code = u.code
                LEFT JOIN received rc ON rc.code = u.code
                LEFT JOIN asked a ON a.code = u.code
                LEFT JOIN survey_sent ss ON ss.code = u.code
                LEFT JOIN requested rq ON rq.code = u.code
                GROUP BY GROUPING SETS ((u.grp), ())
            ),
            median AS (
                SELECT u.grp, percentile_cont(0.5) WITHIN GROUP (ORDER BY t.seconds) AS seconds
                FROM target t
                JOIN unit u ON u.code = t.organization
                WHERE t.answered
                GROUP BY GROUPING SETS ((u.grp), ())
            )
            SELECT f.*, m.seconds AS median_seconds, o.kind, o.region, o.name_zh, o.name_en
            FROM figures f
            LEFT JOIN median m ON m.grp IS NOT DISTINCT FROM f.grp
            LEFT JOIN organization o ON o.code = f.grp AND CAST(:grouping AS text) = 'ORGANIZATION'
            ORDER BY f.is_total, f.kind_order, f.region_order, f.grp
            """;

    private final NamedParameterJdbcTemplate jdbc;

    StatisticsRepository(JdbcTemplate jdbc) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
    }

    /** The figures of the query's units, grouped as it asks. */
    Statistics figures(StatisticsQuery query) {
        MapSqlParameterSource parameters = new MapSqlParameterSource()
                .addValue("grouping", query.grouping().name())
                .addValue("region", query.region().map(Enum::name).orElse(null))
                .addValue("organization", query.organization().map(o -> o.value()).orElse(null))
                .addValue("kind", query.kind().map(Enum::name).orElse(null))
                .addValue("from", OffsetDateTime.ofInstant(query.period().from(), ZoneOffset.UTC))
                .addValue("to", OffsetDateTime.ofInstant(query.period().to(), ZoneOffset.UTC));
        List<Statistics.Row> rows = new ArrayList<>();
        Statistics.Row[] totals = new Statistics.Row[1];
        jdbc.query(SQL, parameters, rs -> {
            if (rs.getInt("is_total") == 1) {
                totals[0] = new Statistics.Row("TOTAL", null, null, null, null, figures(rs));
            } else {
                rows.add(new Statistics.Row(rs.getString("grp"), rs.getString("kind"),
                        query.grouping() == StatisticsQuery.Grouping.REGION ? rs.getString("grp") : rs.getString("region"),
                        rs.getString("name_zh"), rs.getString("name_en"), figures(rs)));
            }
        });
        return new Statistics(query, rows, totals[0]);
    }

    private static Figures figures(ResultSet rs) throws SQLException {
        double seconds = rs.getDouble("median_seconds");
        Double median = rs.wasNull() ? null : seconds;
        return Figures.of(rs.getLong("units"), rs.getLong("sent"), rs.getLong("received"), rs.getLong("delivered"),
                rs.getLong("action_items"), rs.getLong("replied"), rs.getLong("surveys_asked"), rs.getLong("surveys_answered"),
                rs.getLong("answered_on_time"), median, rs.getLong("surveys_sent"),
                rs.getLong("survey_targets"), rs.getLong("survey_responses"));
    }
}
