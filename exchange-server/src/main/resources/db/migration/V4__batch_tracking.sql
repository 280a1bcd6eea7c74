-- Batch tracking: an issuer's batches listed newest first without reading every batch.
-- (A batch's per-office counts need no new index: batch_document_by_batch finds its documents,
-- and the recipient key (document_id, organization) their recipients.)
CREATE INDEX batch_by_issuer ON batch (issuer, created_at DESC);
