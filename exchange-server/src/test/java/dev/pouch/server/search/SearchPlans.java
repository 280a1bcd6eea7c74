package dev.pouch.server.search;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * For benchmarks: PostgreSQL's plan, with timings, of the query {@code search_matches} builds for
 * a request — the function's own text, taken from the database, with its query explained instead
 * of run, for a viewer given by organization, clearance and HQ flag.
 */
public final class SearchPlans {

    private SearchPlans() {
    }

    public static List<String> explain(JdbcTemplate owner, SearchRequest r, String organization, String clearance, boolean hq,
            int limit) {
        return owner.execute((ConnectionCallback<List<String>>) c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                String body;
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT prosrc FROM pg_proc WHERE proname = 'search_matches'")) {
                    rs.next();
                    body = rs.getString(1);
                }
                String explained = body.replace("RETURN QUERY EXECUTE sql USING",
                        "RETURN QUERY EXECUTE 'EXPLAIN (ANALYZE, BUFFERS) ' || sql USING");
                if (explained.equals(body)) {
                    throw new IllegalStateException("search_matches no longer ends in RETURN QUERY EXECUTE sql USING ...");
                }
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE OR REPLACE FUNCTION pg_temp.explain_matches(q tsquery, patterns text[], number_key text,"
                            + " types text[], regions text[], organizations text[], sender text, from_at timestamptz, to_at timestamptz,"
                            + " classifications text[], precedences text[], max_rows int) RETURNS SETOF text LANGUAGE plpgsql"
                            // The settings search_matches runs with (V9).
                            + " SET max_parallel_workers_per_gather = 0 AS $body$"
                            + explained + "$body$");
                }
                try (PreparedStatement p = c.prepareStatement("SELECT set_config('pouch.viewer_org', ?, true),"
                        + " set_config('pouch.viewer_clearance', ?, true), set_config('pouch.viewer_hq', ?, true)")) {
                    p.setString(1, organization);
                    p.setString(2, clearance);
                    p.setString(3, Boolean.toString(hq));
                    p.executeQuery().close();
                }
                List<Object> args = SearchRepository.candidateArguments(r, limit);
                List<String> plan = new ArrayList<>();
                try (PreparedStatement p = c.prepareStatement("SELECT m FROM " + SearchRepository.candidates(r, "pg_temp.explain_matches")
                        + " m")) {
                    // Bound exactly as SearchRepository's JdbcTemplate query binds them.
                    new ArgumentPreparedStatementSetter(args.toArray()).setValues(p);
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            plan.add(rs.getString(1));
                        }
                    }
                }
                return plan;
            } finally {
                c.rollback();
                c.setAutoCommit(auto);
            }
        });
    }
}
