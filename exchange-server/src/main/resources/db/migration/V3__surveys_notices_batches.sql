-- Surveys (调研), the notices the exchange sends about them, and batches of documents.

-- A survey is the SURVEY_REQUEST document that opened it; its signed header gave the targets (the
-- action recipients) and the first deadline. The requester may extend the deadline, add targets
-- (with a further SURVEY_REQUEST in reply to the first) or withdraw the survey.
CREATE TABLE survey (
    id                 uuid PRIMARY KEY REFERENCES document (id),
    requester          text NOT NULL REFERENCES organization (code),
    deadline           timestamptz NOT NULL,
    original_deadline  timestamptz NOT NULL,
    reminder_before    interval NOT NULL,
    state              text NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'WITHDRAWN')),
    created_at         timestamptz NOT NULL,
    withdrawn_at       timestamptz,
    withdrawn_by       text,
    withdrawal_reason  text
);
CREATE INDEX survey_by_requester ON survey (requester, created_at DESC);
CREATE INDEX survey_open ON survey (deadline) WHERE state = 'OPEN';

-- One row per target office. request_id is the sealed request that office received: the survey
-- itself, or the addition that made it a target.
CREATE TABLE survey_target (
    survey_id            uuid NOT NULL REFERENCES survey (id),
    organization         text NOT NULL REFERENCES organization (code),
    request_id           uuid NOT NULL REFERENCES document (id),
    added_at             timestamptz NOT NULL,
    response_id          uuid REFERENCES document (id),    -- the first response
    responded_at         timestamptz,
    on_time              boolean,
    responses            int NOT NULL DEFAULT 0,
    reminded_at          timestamptz,                       -- the reminder before the deadline
    overdue_reminded_at  timestamptz,                       -- the reminder once the deadline passed
    PRIMARY KEY (survey_id, organization),
    CHECK ((response_id IS NULL) = (responded_at IS NULL))
);
CREATE INDEX survey_target_by_request ON survey_target (request_id);
CREATE INDEX survey_target_by_organization ON survey_target (organization);

-- What the exchange tells an organization about a document (reminders, extensions, withdrawals).
-- Written in the transaction of the act, then relayed to the organization's queue like a document.
CREATE TABLE notice (
    id            uuid PRIMARY KEY,
    organization  text NOT NULL REFERENCES organization (code),
    kind          text NOT NULL CHECK (kind IN ('SURVEY_REMINDER', 'SURVEY_OVERDUE', 'SURVEY_EXTENDED', 'SURVEY_WITHDRAWN')),
    document_id   uuid NOT NULL REFERENCES document (id),
    sender        text NOT NULL REFERENCES organization (code),
    text          text NOT NULL,
    deadline      timestamptz,
    created_at    timestamptz NOT NULL,
    sent_at       timestamptz,      -- on the broker
    delivered_at  timestamptz       -- the organization's client persisted it
);
CREATE INDEX notice_unsent ON notice (created_at) WHERE sent_at IS NULL;
CREATE INDEX notice_by_document ON notice (document_id, organization);

-- A batch: many documents sent as one act (one real case: 1,061 statistics files to all offices).
CREATE TABLE batch (
    id          uuid PRIMARY KEY,
    issuer      text NOT NULL REFERENCES organization (code),
    size        int NOT NULL CHECK (size > 0),
    created_at  timestamptz NOT NULL
);
CREATE TABLE batch_document (
    document_id  uuid PRIMARY KEY REFERENCES document (id),
    batch_id     uuid NOT NULL REFERENCES batch (id)
);
CREATE INDEX batch_document_by_batch ON batch_document (batch_id);

GRANT SELECT, INSERT, UPDATE ON survey, survey_target, notice TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON batch TO ${app_role};  -- UPDATE only for SELECT … FOR UPDATE
GRANT SELECT, INSERT ON batch_document TO ${app_role};
