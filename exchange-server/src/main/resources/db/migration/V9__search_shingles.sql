-- Long Chinese phrases and common Chinese terms were the searches still over the latency target at
-- 1,000,000 documents (docs/benchmarks.md): a phrase was found through pg_trgm's trigram index,
-- and the trigrams of a phrase made of common words are common too — 关于市场市场市场的通 had 26,262
-- candidates of which 20,993 did not hold it, each one a row read and its text checked — and a
-- term in 6,000 documents had all 6,000 rows read to keep the newest 1,000 (max_rows).
--
-- Shingles: the distinct 4-character sequences of each CJK run of four characters or more, in a GIN
-- index over an expression of the text (nothing more is stored in the table). The index itself then
-- finds the documents holding every 4-character piece of a phrase — about 5,400 candidates for that
-- phrase instead of 26,262 — and a 4-character term exactly. The LIKE check on the text stays: it
-- decides. Text and phrase go through the same function, so a text holding the phrase holds its
-- shingles whatever the function counts as CJK.
--
-- A text with more than 50,000 distinct shingles (more than 150,000 bytes of CJK text) has none
-- (NULL, which @@ never matches): such a text is long, so the condition is "holds the shingles, or
-- is longer than 150,000 bytes", which the partial index search_entry_long answers cheaply.
--
-- Tried and dropped: the month of each document as a token in the same vector, to ask for the
-- newest months first and read fewer rows of a common term. Merging the months' long lists in the
-- index cost more than the rows it saved (docs/benchmarks.md).

-- The shingles of content's CJK runs (kana, Hangul, Han and its extensions and compatibility forms);
-- NULL beyond 50,000 of them (a tsvector holds 1 MB). Each run is split into its characters and a
-- shingle is a character and the three after it: linear in the run's length (substr at offset i of
-- a multibyte text walks i characters: 7.4 s for one run of 50,000 characters, against 0.23 s).
CREATE FUNCTION search_shingles(content text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT COST 5000 AS $$
    SELECT CASE WHEN count(*) > 50000 THEN NULL ELSE array_to_tsvector(coalesce(array_agg(g), '{}')) END
    FROM (SELECT DISTINCT g FROM (
            SELECT c.ch || lead(c.ch, 1) OVER w || lead(c.ch, 2) OVER w || lead(c.ch, 3) OVER w AS g
            FROM regexp_matches(content, '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f]{4,}', 'g')
                     WITH ORDINALITY AS r(m, run),
                 regexp_split_to_table(r.m[1], '') WITH ORDINALITY AS c(ch, pos)
            WINDOW w AS (PARTITION BY r.run ORDER BY c.pos)) y
          WHERE g IS NOT NULL) x
$$;

-- What a text holding every one of patterns (LIKE patterns, after unaccent) holds for sure: the
-- shingles of the patterns' CJK runs, all of them (NULL if they have none). The same shingles as
-- search_shingles gives, taken with substr: a query is at most 1,000 characters.
CREATE FUNCTION search_phrase_shingles(patterns text[]) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_agg('''' || g || '''', ' & ')::tsquery
    FROM (SELECT DISTINCT substr(r[1], i, 4) AS g
          FROM unnest(patterns) p,
               regexp_matches(p, '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f]{4,}', 'g') r,
               generate_series(1, length(r[1]) - 3) i) x
$$;

CREATE INDEX search_entry_shingles ON search_entry USING gin (search_shingles(content));
CREATE INDEX search_entry_long ON search_entry (accepted_at DESC) WHERE octet_length(content) > 150000;

-- As V8's (same signature, same contract), with the shingles. Without parallel workers: on a
-- machine of few cores they cost a search more than they save (the candidates of a common
-- 4-character term took 117-423 ms with two workers; the whole search takes 42 ms p50 without).
CREATE OR REPLACE FUNCTION search_matches(q tsquery, patterns text[], number_key text, types text[], regions text[],
        organizations text[], sender text, from_at timestamptz, to_at timestamptz, classifications text[],
        precedences text[], max_rows int)
RETURNS TABLE (document_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
    sql text := 'SELECT e.document_id, e.accepted_at FROM search_entry e'
        || ' WHERE search_visible(e.parties, e.classification, e.sharing_scope)';
    gq tsquery := search_phrase_shingles(patterns);
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
    IF gq IS NOT NULL THEN
        sql := sql || ' AND (search_shingles(e.content) @@ $13 OR octet_length(e.content) > 150000)';
    END IF;
    IF q IS NOT NULL THEN sql := sql || ' AND e.terms @@ $1'; END IF;
    IF patterns IS NOT NULL THEN
        FOR i IN 1 .. coalesce(array_length(patterns, 1), 0) LOOP
            -- With shingles the text is checked only in the rows they select. Written so that pg_trgm's
            -- index is not used as well: every row it yields must be checked again, and that check
            -- would compute the row's shingles again too (measured: 0.2 ms a row, 500 ms a search).
            IF gq IS NULL THEN
                sql := sql || format(' AND e.content LIKE $2[%s]', i);
            ELSIF patterns[i] ~ '^%[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f]{4}%$' THEN
                -- Exactly four CJK characters: the phrase is its own shingle, so a text with shingles
                -- holds it exactly when the index says so; only a text too long to have them is read.
                sql := sql || format(' AND (octet_length(e.content) <= 150000 OR (e.content || '''') LIKE $2[%s])', i);
            ELSE
                sql := sql || format(' AND (e.content || '''') LIKE $2[%s]', i);
            END IF;
        END LOOP;
    END IF;

    -- OFFSET 0 keeps the candidates' scan apart from ORDER BY ... LIMIT: the planner cannot
    -- estimate the LIKE of a phrase well and would otherwise walk the date index over most of the
    -- archive, computing shingles for every row it passes (measured: 3 s).
    IF gq IS NOT NULL THEN
        sql := 'SELECT x.document_id FROM (' || sql || ' OFFSET 0) x ORDER BY x.accepted_at DESC LIMIT $12';
    ELSE
        sql := 'SELECT x.document_id FROM (' || sql || ' ORDER BY e.accepted_at DESC LIMIT $12) x';
    END IF;
    RETURN QUERY EXECUTE sql USING q, patterns, number_key, types, regions, organizations, sender, from_at, to_at,
        classifications, precedences, max_rows, gq;
END
$$;
