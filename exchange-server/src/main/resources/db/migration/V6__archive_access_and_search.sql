-- The shared archive: who may see which document (row-level security), and its search index.
-- See docs/adr/0009-archive-access-under-row-level-security.md and docs/search.md.
--
-- Staff-facing reads run in a transaction that does SET LOCAL ROLE ${viewer_role} (a NOLOGIN
-- role, granted to ${app_role} by the superuser, with SELECT only) after setting, with
-- set_config(..., true), pouch.viewer_org, pouch.viewer_clearance and pouch.viewer_hq from the
-- caller's staff row, read afresh on every request. The exchange's own work (submission,
-- delivery, surveys, statistics) keeps running as ${app_role}, which a policy of its own admits
-- to every row.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${viewer_role}') THEN
        RAISE EXCEPTION 'role ${viewer_role} is missing: as a superuser run CREATE ROLE ${viewer_role} NOLOGIN NOBYPASSRLS; GRANT ${viewer_role} TO ${app_role};';
    END IF;
END
$$;

-- One row per archived document: what access and search need, in one narrow-enough place.
-- parties = the sender and every recipient (fixed at submission, from the signed header).
-- terms: the number, subject and text as the 'simple' parser sees them after Java turned every
-- run of CJK characters into its overlapping bigrams (电信市场 -> 电信 信市 市场), unaccented,
-- positions stripped (a long text would pass tsvector's 1 MB limit). subject_terms: the same for
-- the number and subject alone, kept small, to rank subject matches first. content: the lower-cased,
-- unaccented subject and text, for the exact-phrase recheck (LIKE) and pg_trgm.
CREATE TABLE search_entry (
    document_id     uuid PRIMARY KEY REFERENCES document (id),
    number          text NOT NULL,
    number_key      text NOT NULL,
    issuer          text NOT NULL,
    issuer_region   text NOT NULL,
    type            text NOT NULL,
    classification  text NOT NULL,
    precedence      text NOT NULL,
    sharing_scope   text NOT NULL CHECK (sharing_scope IN ('RECIPIENTS', 'ALL_HQ', 'EXCHANGE')),
    parties         text[] NOT NULL,
    accepted_at     timestamptz NOT NULL,
    subject_terms   tsvector NOT NULL,
    terms           tsvector NOT NULL,
    content         text NOT NULL
);
CREATE INDEX search_entry_terms ON search_entry USING gin (terms);
CREATE INDEX search_entry_content_trgm ON search_entry USING gin (content gin_trgm_ops);
CREATE INDEX search_entry_by_date ON search_entry (accepted_at DESC);
CREATE INDEX search_entry_by_number ON search_entry (number_key);
CREATE INDEX search_entry_by_issuer ON search_entry (issuer, accepted_at DESC);

-- The access rule, once: the viewer's organization sent or received the document, or their
-- clearance reaches its classification and its sharing scope admits them (RECIPIENTS: no one
-- else; ALL_HQ: staff of HQ departments; EXCHANGE: everyone). An unset viewer sees nothing
-- (every comparison with NULL fails). Inlined by the planner into the policies below.
CREATE FUNCTION search_visible(parties text[], classification text, scope text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('pouch.viewer_org', true) = ANY (parties), false)
        OR coalesce(array_position(ARRAY['PUBLIC', 'INTERNAL', 'SECRET', 'CONFIDENTIAL', 'TOP_SECRET'], classification)
                <= array_position(ARRAY['PUBLIC', 'INTERNAL', 'SECRET', 'CONFIDENTIAL', 'TOP_SECRET'],
                                  current_setting('pouch.viewer_clearance', true))
            AND (scope = 'EXCHANGE' OR (scope = 'ALL_HQ' AND current_setting('pouch.viewer_hq', true) = 'true')), false)
$$;

ALTER TABLE search_entry ENABLE ROW LEVEL SECURITY;
ALTER TABLE document ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_text ENABLE ROW LEVEL SECURITY;
ALTER TABLE attachment ENABLE ROW LEVEL SECURITY;
ALTER TABLE recipient ENABLE ROW LEVEL SECURITY;

-- The exchange itself (submission, delivery, surveys, statistics) sees every row.
CREATE POLICY exchange_internal ON search_entry TO ${app_role} USING (true) WITH CHECK (true);
CREATE POLICY exchange_internal ON document TO ${app_role} USING (true) WITH CHECK (true);
CREATE POLICY exchange_internal ON document_text TO ${app_role} USING (true) WITH CHECK (true);
CREATE POLICY exchange_internal ON attachment TO ${app_role} USING (true) WITH CHECK (true);
CREATE POLICY exchange_internal ON recipient TO ${app_role} USING (true) WITH CHECK (true);

-- A staff member sees what the rule admits; the other tables follow their document's entry.
CREATE POLICY viewer_sees ON search_entry FOR SELECT TO ${viewer_role}
    USING (search_visible(parties, classification, sharing_scope));
CREATE POLICY viewer_sees ON document FOR SELECT TO ${viewer_role}
    USING (EXISTS (SELECT 1 FROM search_entry e WHERE e.document_id = document.id));
CREATE POLICY viewer_sees ON document_text FOR SELECT TO ${viewer_role}
    USING (EXISTS (SELECT 1 FROM search_entry e WHERE e.document_id = document_text.document_id));
CREATE POLICY viewer_sees ON attachment FOR SELECT TO ${viewer_role}
    USING (EXISTS (SELECT 1 FROM search_entry e WHERE e.document_id = attachment.document_id));
CREATE POLICY viewer_sees ON recipient FOR SELECT TO ${viewer_role}
    USING (EXISTS (SELECT 1 FROM search_entry e WHERE e.document_id = recipient.document_id));

GRANT SELECT ON search_entry, document, document_text, attachment, recipient, organization TO ${viewer_role};
GRANT SELECT, INSERT ON search_entry TO ${app_role};

-- Under row-level security PostgreSQL will not let a non-leakproof operator such as @@ or LIKE
-- run inside an index scan ahead of the policy, so a search as the viewer would read every row.
-- This function finds the candidates with the indexes, as the schema owner, applying the same
-- rule (search_visible) and the same filters itself; the caller then reads the rows it returns
-- as the viewer, so the policy is applied a second time, in the database, to every row. It takes
-- values only (no SQL), newest first, at most max_rows.
CREATE FUNCTION search_matches(q tsquery, patterns text[], number_key text, types text[], regions text[],
        organizations text[], sender text, from_at timestamptz, to_at timestamptz, classifications text[],
        precedences text[], max_rows int)
RETURNS TABLE (document_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    sql text := 'SELECT e.document_id FROM search_entry e WHERE search_visible(e.parties, e.classification, e.sharing_scope)';
BEGIN
    IF q IS NOT NULL THEN sql := sql || ' AND e.terms @@ $1'; END IF;
    IF patterns IS NOT NULL THEN
        FOR i IN 1 .. coalesce(array_length(patterns, 1), 0) LOOP
            sql := sql || format(' AND e.content LIKE $2[%s]', i);
        END LOOP;
    END IF;
    IF number_key IS NOT NULL THEN sql := sql || ' AND e.number_key = $3'; END IF;
    IF types IS NOT NULL THEN sql := sql || ' AND e.type = ANY ($4)'; END IF;
    IF regions IS NOT NULL THEN sql := sql || ' AND e.issuer_region = ANY ($5)'; END IF;
    IF organizations IS NOT NULL THEN sql := sql || ' AND e.parties && $6'; END IF;
    IF sender IS NOT NULL THEN sql := sql || ' AND e.issuer = $7'; END IF;
    IF from_at IS NOT NULL THEN sql := sql || ' AND e.accepted_at >= $8'; END IF;
    IF to_at IS NOT NULL THEN sql := sql || ' AND e.accepted_at < $9'; END IF;
    IF classifications IS NOT NULL THEN sql := sql || ' AND e.classification = ANY ($10)'; END IF;
    IF precedences IS NOT NULL THEN sql := sql || ' AND e.precedence = ANY ($11)'; END IF;
    sql := sql || ' ORDER BY e.accepted_at DESC LIMIT $12';
    RETURN QUERY EXECUTE sql USING q, patterns, number_key, types, regions, organizations, sender, from_at, to_at,
        classifications, precedences, max_rows;
END
$$;
REVOKE ALL ON FUNCTION search_matches FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_matches TO ${viewer_role};
