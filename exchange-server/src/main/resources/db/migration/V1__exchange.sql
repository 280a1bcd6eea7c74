-- Pouch exchange schema, version 1. Runs as the schema owner; the application connects as
-- ${app_role}, a non-superuser that receives only the privileges granted at the end.

-- Directory -----------------------------------------------------------------------------------

CREATE TABLE organization (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}-[A-Z0-9]{2,8}$'),
    kind        text NOT NULL CHECK (kind IN ('HQ_DEPARTMENT', 'OVERSEAS_OFFICE')),
    region      text NOT NULL CHECK (region IN ('HQ', 'EUROPE', 'AFRICA', 'ASIA', 'WEST_ASIA', 'EURASIA', 'AMERICAS', 'OCEANIA')),
    country     text NOT NULL,
    city        text NOT NULL DEFAULT '',
    name_zh     text NOT NULL,
    name_en     text NOT NULL,
    timezone    text NOT NULL,
    active      boolean NOT NULL DEFAULT true
);
CREATE INDEX organization_by_region ON organization (region);

CREATE TABLE staff (
    id            bigserial PRIMARY KEY,
    organization  text NOT NULL REFERENCES organization (code),
    staff_id      text NOT NULL CHECK (staff_id ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    display_name  text NOT NULL,
    roles         text[] NOT NULL,
    clearance     text NOT NULL DEFAULT 'INTERNAL' CHECK (clearance IN ('PUBLIC', 'INTERNAL')),
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization, staff_id)
);

-- PKI -----------------------------------------------------------------------------------------

CREATE TABLE certificate (
    serial             text PRIMARY KEY,          -- lower-case hex
    fingerprint        text NOT NULL UNIQUE,      -- SHA-256 of the DER, hex
    profile            text NOT NULL,
    identity           text NOT NULL,             -- urn:pouch:...
    organization       text REFERENCES organization (code),
    not_before         timestamptz NOT NULL,
    not_after          timestamptz NOT NULL,
    der                bytea NOT NULL,
    issued_at          timestamptz NOT NULL DEFAULT now(),
    revoked_at         timestamptz,
    revocation_reason  text
);
CREATE INDEX certificate_by_identity ON certificate (identity, profile, issued_at DESC);

CREATE TABLE crl (
    number       bigint PRIMARY KEY,
    this_update  timestamptz NOT NULL,
    next_update  timestamptz NOT NULL,
    der          bytea NOT NULL
);

-- Sealed objects: stored as chunks, so that any node can continue an upload ---------------------

CREATE TABLE blob (
    id          uuid PRIMARY KEY,
    size        bigint NOT NULL CHECK (size > 0),
    sha256      bytea,
    complete    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE blob_chunk (
    blob_id  uuid NOT NULL REFERENCES blob (id) ON DELETE CASCADE,
    "offset" bigint NOT NULL,
    data     bytea NOT NULL,
    PRIMARY KEY (blob_id, "offset")
);

CREATE TABLE upload (
    owner       text NOT NULL,                    -- the uploader's identity
    stream_id   text NOT NULL,
    blob_id     uuid NOT NULL UNIQUE REFERENCES blob (id) ON DELETE CASCADE,
    total_size  bigint NOT NULL,
    received    bigint NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner, stream_id)
);

-- Documents -----------------------------------------------------------------------------------

CREATE TABLE document (
    id                         uuid PRIMARY KEY,          -- chosen by the sender: the idempotency key
    number                     text NOT NULL,             -- 文号
    issuer                     text NOT NULL REFERENCES organization (code),
    year                       int NOT NULL,
    type                       text NOT NULL,
    subject                    text NOT NULL,
    classification             text NOT NULL CHECK (classification IN ('PUBLIC', 'INTERNAL')),
    precedence                 text NOT NULL,
    sharing_scope              text NOT NULL,
    in_reply_to                uuid,
    deadline                   timestamptz,
    submitted_by               text NOT NULL,
    accepted_at                timestamptz NOT NULL,
    claimed_signing_time       timestamptz NOT NULL,
    signer_fingerprint         text NOT NULL,
    main_blob                  uuid NOT NULL REFERENCES blob (id),
    main_sha256                bytea NOT NULL,
    content_size               bigint NOT NULL,
    part_count                 int NOT NULL DEFAULT 0,
    -- what a recipient's receipt is checked against
    content_type_oid           text NOT NULL,
    signed_content_identifier  bytea NOT NULL,
    signature_value            bytea NOT NULL,
    signed_attributes          bytea NOT NULL,
    UNIQUE (issuer, year, number)
);
CREATE INDEX document_in_reply_to ON document (in_reply_to) WHERE in_reply_to IS NOT NULL;
CREATE INDEX document_by_issuer ON document (issuer, accepted_at DESC);

CREATE TABLE document_part (
    document_id  uuid NOT NULL REFERENCES document (id),
    index        int NOT NULL,
    blob_id      uuid NOT NULL REFERENCES blob (id),
    size         bigint NOT NULL,
    PRIMARY KEY (document_id, index)
);

CREATE TABLE attachment (
    document_id    uuid NOT NULL REFERENCES document (id),
    index          int NOT NULL,
    name           text NOT NULL,
    declared_type  text NOT NULL,
    detected_type  text NOT NULL,
    size           bigint NOT NULL,
    PRIMARY KEY (document_id, index)
);

CREATE TABLE document_text (
    document_id  uuid PRIMARY KEY REFERENCES document (id),
    body         text NOT NULL,
    truncated    boolean NOT NULL
);

CREATE TABLE recipient (
    document_id      uuid NOT NULL REFERENCES document (id),
    organization     text NOT NULL REFERENCES organization (code),
    role             text NOT NULL CHECK (role IN ('ACTION', 'INFORMATION')),
    state            text NOT NULL DEFAULT 'QUEUED' CHECK (state IN ('QUEUED', 'DELIVERED', 'SIGNED_FOR', 'REPLIED')),
    queued_at        timestamptz NOT NULL,
    delivered_at     timestamptz,
    receipt          bytea,
    receipt_at       timestamptz,
    signed_for_at    timestamptz,
    signed_for_by    text,
    signed_for_note  text,
    replied_at       timestamptz,
    reply_id         uuid,
    PRIMARY KEY (document_id, organization)
);
CREATE INDEX recipient_by_organization ON recipient (organization, state);

-- Transactional outbox: routing rows committed with the document, relayed to the broker ---------

CREATE TABLE outbox (
    id            bigserial PRIMARY KEY,
    document_id   uuid NOT NULL REFERENCES document (id),
    organization  text NOT NULL REFERENCES organization (code),
    priority      int NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    UNIQUE (document_id, organization)
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- Audit: append-only, hash-chained after commit, with signed checkpoints ----------------------

CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    subject    text NOT NULL DEFAULT '',
    outcome    text NOT NULL,
    detail     text NOT NULL DEFAULT '',
    chain_pos  bigint UNIQUE,
    prev_hash  bytea,
    hash       bytea
);
CREATE INDEX audit_unchained ON audit_log (id) WHERE chain_pos IS NULL;

CREATE TABLE audit_checkpoint (
    chain_pos           bigint PRIMARY KEY,
    at                  timestamptz NOT NULL,
    hash                bytea NOT NULL,
    signature           bytea NOT NULL,
    signer_certificate  bytea NOT NULL
);

-- Rows are never deleted, and once chained never changed; before that only the chain columns
-- may be filled in.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_log is append-only';
    END IF;
    IF OLD.chain_pos IS NOT NULL
       OR NEW.id <> OLD.id OR NEW.at <> OLD.at OR NEW.actor <> OLD.actor OR NEW.action <> OLD.action
       OR NEW.subject <> OLD.subject OR NEW.outcome <> OLD.outcome OR NEW.detail <> OLD.detail THEN
        RAISE EXCEPTION 'audit_log rows cannot be changed once written';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Privileges of the application role ----------------------------------------------------------

GRANT SELECT, INSERT, UPDATE ON organization, staff, certificate, recipient, outbox TO ${app_role};
GRANT SELECT, INSERT ON crl, document, document_part, attachment, document_text, audit_checkpoint TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON blob, blob_chunk, upload TO ${app_role};
GRANT SELECT, INSERT ON audit_log TO ${app_role};
GRANT UPDATE (chain_pos, prev_hash, hash) ON audit_log TO ${app_role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app_role};
