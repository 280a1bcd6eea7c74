-- Per-unit statistics (stats/StatisticsRepository) read the documents and recipient rows of a
-- period: these indexes find them without reading all of them. recipient.queued_at is the
-- document's acceptance time (written with the document, never changed).
CREATE INDEX document_by_accepted_at ON document (accepted_at, issuer);
CREATE INDEX recipient_by_queued_at ON recipient (queued_at);
