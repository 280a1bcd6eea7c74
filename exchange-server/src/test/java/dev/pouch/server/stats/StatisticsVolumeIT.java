package dev.pouch.server.stats;

import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistics query's plan and time on a year of synthetic history (rows inserted directly,
 * for volume only: the figures themselves are checked on real submissions in StatisticsIT).
 * Run on demand: {@code -Dit.test=StatisticsVolumeIT -Dpouch.stats.volume=true}; it prints the
 * plans.
 */
@EnabledIfSystemProperty(named = "pouch.stats.volume", matches = "true")
class StatisticsVolumeIT {

    @Test
    void a_year_for_every_unit_and_one_office_s_year_are_answered_quickly() {
        Path dir = TestServer.tempDir();
        try (TestServer server = TestServer.start(dir)) {
            JdbcTemplate owner = server.ownerJdbc();
            long t0 = System.nanoTime();
            owner.execute("""
                    INSERT INTO blob (id, size, complete) VALUES ('00000000-0000-0000-0000-000000000001', 1, true);
                    CREATE TEMP TABLE org_list AS SELECT row_number() OVER (ORDER BY code) - 1 AS i, code, kind, region FROM organization;
                    -- 300,000 documents over 2026, each from one organization to three others (one of them for information)
                    INSERT INTO document (id, number, issuer, year, type, subject, classification, precedence, sharing_scope,
                        submitted_by, accepted_at, claimed_signing_time, signer_fingerprint, main_blob, main_sha256, content_size,
                        content_type_oid, signed_content_identifier, signature_value, signed_attributes, in_reply_to)
                    SELECT md5('d' || g)::uuid, 'N' || g, (SELECT code FROM org_list WHERE i = g % 239), 2026,
                        CASE WHEN g % 50 = 0 THEN 'SURVEY_REQUEST' WHEN g % 3 = 0 THEN 'REPLY' ELSE 'NOTICE' END, 's', 'INTERNAL',
                        'ROUTINE', 'RECIPIENTS', 'x', timestamptz '2026-01-01' + (g * interval '105 seconds'), now(), 'f',
                        '00000000-0000-0000-0000-000000000001', '\\x00', 1, '1.2', '\\x00', '\\x00', '\\x00',
                        CASE WHEN g % 3 = 0 THEN md5('d' || (g - 1))::uuid END
                    FROM generate_series(1, 300000) g;
                    INSERT INTO recipient (document_id, organization, role, state, queued_at, delivered_at, replied_at)
                    SELECT md5('d' || g)::uuid, (SELECT code FROM org_list WHERE i = (g * 7 + k * 31) % 239),
                        CASE WHEN k = 2 THEN 'INFORMATION' ELSE 'ACTION' END,
                        CASE WHEN g % 5 = 0 THEN 'QUEUED' WHEN g % 3 = 1 AND k = 0 THEN 'REPLIED' ELSE 'DELIVERED' END,
                        timestamptz '2026-01-01' + (g * interval '105 seconds'),
                        CASE WHEN g % 5 <> 0 THEN timestamptz '2026-01-01' + (g * interval '105 seconds') + interval '1 hour' END,
                        CASE WHEN g % 5 <> 0 AND g % 3 = 1 AND k = 0 THEN timestamptz '2026-01-01' + (g * interval '105 seconds') + interval '1 day' END
                    FROM generate_series(1, 300000) g, generate_series(0, 2) k
                    ON CONFLICT DO NOTHING;
                    -- 200 broadcasts to every office
                    INSERT INTO recipient (document_id, organization, role, state, queued_at, delivered_at)
                    SELECT md5('d' || g * 1000 + 1)::uuid, o.code, 'ACTION', 'DELIVERED',
                        timestamptz '2026-01-01' + ((g * 1000 + 1) * interval '105 seconds'), now()
                    FROM generate_series(1, 200) g, org_list o WHERE o.kind = 'OVERSEAS_OFFICE'
                    ON CONFLICT DO NOTHING;
                    -- the survey requests among them: a survey each, its action recipients its targets, half answered
                    INSERT INTO survey (id, requester, deadline, original_deadline, reminder_before, created_at)
                    SELECT d.id, d.issuer, d.accepted_at + interval '7 days', d.accepted_at + interval '7 days', interval '1 day', d.accepted_at
                    FROM document d WHERE d.type = 'SURVEY_REQUEST';
                    INSERT INTO survey_target (survey_id, organization, request_id, added_at, response_id, responded_at, on_time, responses)
                    SELECT r.document_id, r.organization, r.document_id, s.created_at,
                        CASE WHEN ascii(r.organization) % 2 = 0 THEN r.document_id END,
                        CASE WHEN ascii(r.organization) % 2 = 0 THEN s.created_at + interval '2 days' END,
                        CASE WHEN ascii(r.organization) % 2 = 0 THEN true END, 0
                    FROM recipient r JOIN survey s ON s.id = r.document_id WHERE r.role = 'ACTION';
                    ANALYZE;
                    """);
            System.out.printf("history inserted in %d s: %d documents, %d recipients, %d survey targets%n",
                    (System.nanoTime() - t0) / 1_000_000_000, server.jdbc().queryForObject("SELECT count(*) FROM document", Long.class),
                    server.jdbc().queryForObject("SELECT count(*) FROM recipient", Long.class),
                    server.jdbc().queryForObject("SELECT count(*) FROM survey_target", Long.class));
            NamedParameterJdbcTemplate app = new NamedParameterJdbcTemplate(server.jdbc());
            for (String[] c : List.of(new String[] {"ORGANIZATION", null, "2026-01-01", "2027-01-01"},
                    new String[] {"ORGANIZATION", null, "2026-11-01", "2026-12-01"},
                    new String[] {"REGION", null, "2026-01-01", "2027-01-01"},
                    new String[] {"ORGANIZATION", "FR-EMB", "2026-01-01", "2027-01-01"})) {
                MapSqlParameterSource p = new MapSqlParameterSource().addValue("grouping", c[0]).addValue("region", null)
                        .addValue("organization", c[1]).addValue("kind", null)
                        .addValue("from", OffsetDateTime.parse(c[2] + "T00:00+08:00"))
                        .addValue("to", OffsetDateTime.parse(c[3] + "T00:00+08:00"));
                app.queryForList(StatisticsRepository.SQL, p); // warm
                long start = System.nanoTime();
                int rows = app.queryForList(StatisticsRepository.SQL, p).size();
                long ms = (System.nanoTime() - start) / 1_000_000;
                List<String> plan = app.queryForList("EXPLAIN (ANALYZE, BUFFERS) " + StatisticsRepository.SQL, p, String.class);
                System.out.printf("%n=== by %s, organization %s, [%s, %s): %d rows in %d ms%n%s%n", c[0], c[1], c[2], c[3], rows, ms,
                        String.join("\n", plan));
                assertThat(ms).isLessThan(10_000);
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }
}
