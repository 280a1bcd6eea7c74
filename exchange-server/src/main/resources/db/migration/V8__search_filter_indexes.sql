-- Searches that combine a word with filters (type, region, a period) walked the date index over
-- every document of the period and tested each one's text vector (read back from TOAST) before
-- its type or region: 14x the latency target at 504,000 documents (docs/benchmarks.md). Two
-- changes, both in the candidates' query (search_matches, V6):
--
-- 1. Indexes that lead with the filters and keep the date order, so a filtered search walks only
--    the documents of that type and/or region, newest first, and still stops at max_rows.
-- 2. The generated WHERE clause tests the cheap columns before the text (@@, LIKE). PostgreSQL
--    keeps the written order of conditions of equal cost, so a row of the wrong type is dropped
--    before its vector is read. A filter of a single value is written as an equality, which any
--    index above can both seek and read in date order.
--
-- The access rule (search_visible) and the function's contract (values only, newest first, at
-- most max_rows, run as the owner, the caller re-reading every row as the viewer) are unchanged.

CREATE INDEX search_entry_by_type ON search_entry (type, accepted_at DESC);
CREATE INDEX search_entry_by_region ON search_entry (issuer_region, accepted_at DESC);
CREATE INDEX search_entry_by_type_region ON search_entry (type, issuer_region, accepted_at DESC);

CREATE OR REPLACE FUNCTION search_matches(q tsquery, patterns text[], number_key text, types text[], regions text[],
        organizations text[], sender text, from_at timestamptz, to_at timestamptz, classifications text[],
        precedences text[], max_rows int)
RETURNS TABLE (document_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    sql text := 'SELECT e.document_id FROM search_entry e WHERE search_visible(e.parties, e.classification, e.sharing_scope)';
BEGIN
    -- The cheap columns first ...
    IF number_key IS NOT NULL THEN sql := sql || ' AND e.number_key = $3'; END IF;
    IF types IS NOT NULL THEN
        sql := sql || CASE WHEN cardinality(types) = 1 THEN ' AND e.type = $4[1]' ELSE ' AND e.type = ANY ($4)' END;
    END IF;
    IF regions IS NOT NULL THEN
        sql := sql || CASE WHEN cardinality(regions) = 1 THEN ' AND e.issuer_region = $5[1]' ELSE ' AND e.issuer_region = ANY ($5)' END;
    END IF;
    IF sender IS NOT NULL THEN sql := sql || ' AND e.issuer = $7'; END IF;
    IF from_at IS NOT NULL THEN sql := sql || ' AND e.accepted_at >= $8'; END IF;
    IF to_at IS NOT NULL THEN sql := sql || ' AND e.accepted_at < $9'; END IF;
    IF classifications IS NOT NULL THEN sql := sql || ' AND e.classification = ANY ($10)'; END IF;
    IF precedences IS NOT NULL THEN sql := sql || ' AND e.precedence = ANY ($11)'; END IF;
    IF organizations IS NOT NULL THEN sql := sql || ' AND e.parties && $6'; END IF;
    -- ... then the text, whose vector and content may have to be read from TOAST.
    IF q IS NOT NULL THEN sql := sql || ' AND e.terms @@ $1'; END IF;
    IF patterns IS NOT NULL THEN
        FOR i IN 1 .. coalesce(array_length(patterns, 1), 0) LOOP
            sql := sql || format(' AND e.content LIKE $2[%s]', i);
        END LOOP;
    END IF;
    sql := sql || ' ORDER BY e.accepted_at DESC LIMIT $12';
    RETURN QUERY EXECUTE sql USING q, patterns, number_key, types, regions, organizations, sender, from_at, to_at,
        classifications, precedences, max_rows;
END
$$;
