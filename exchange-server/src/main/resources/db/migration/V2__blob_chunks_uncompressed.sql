-- Blob chunks are sealed (encrypted) data: PostgreSQL's pglz compression cannot shrink them and
-- only costs CPU on every 256 KiB chunk written. Store them out of line, uncompressed.
ALTER TABLE blob_chunk ALTER COLUMN data SET STORAGE EXTERNAL;
