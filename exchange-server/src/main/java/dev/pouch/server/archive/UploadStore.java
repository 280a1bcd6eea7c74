package dev.pouch.server.archive;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.stream.StreamStore;
import dev.pouch.server.config.PouchProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Incoming streams kept in PostgreSQL chunk by chunk, so that an upload broken off resumes where
 * it stopped — on any node. Chunk appends commit without waiting for the disk: after a crash the
 * stream simply resumes from what survived, because the offset always comes from the database.
 * Completion (digest checked) commits durably.
 */
@Repository
public class UploadStore implements StreamStore {

    /** Largest single uploaded object: a sealed main document or one part. */
    public static final long MAX_OBJECT = 64L << 20;

    private static final Logger log = LoggerFactory.getLogger(UploadStore.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Duration expireAfter;

    /**
     * The digest of each upload this node has received from its first byte, chunk by chunk, so
     * that completing it need not read the whole blob back. An upload begun or continued on
     * another node, or after a restart, has none here and is hashed from the database instead.
     * Bounded: past the limit, new uploads are simply hashed from the database.
     */
    private final java.util.Map<String, RunningDigest> digests = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_RUNNING_DIGESTS = 10_000;

    private static final class RunningDigest {
        final MessageDigest sha256 = sha256();
        long hashed;
    }

    private static String key(Identity owner, String streamId) {
        return owner + " " + streamId;
    }

    public UploadStore(JdbcTemplate jdbc, TransactionTemplate tx, PouchProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.expireAfter = properties.uploads().expireAfter();
    }

    /** A complete upload: the blob it fills. */
    public record Upload(UUID blobId, long size) {
    }

    private record Row(UUID blobId, long total, long received) {
    }

    private Optional<Row> lock(Identity owner, String streamId) {
        return jdbc.query("SELECT blob_id, total_size, received FROM upload WHERE owner = ? AND stream_id = ? FOR UPDATE",
                (rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getLong(2), rs.getLong(3)), owner.toString(), streamId)
                .stream().findFirst();
    }

    @Override
    public long open(Identity owner, String streamId, long totalSize) {
        if (totalSize > MAX_OBJECT) {
            throw new ProtocolException(ErrorCode.STREAM_TOO_LARGE, totalSize + " bytes", streamId);
        }
        return tx.execute(status -> {
            Optional<Row> row = lock(owner, streamId);
            if (row.isPresent()) {
                if (row.get().total() != totalSize) {
                    throw new ProtocolException(ErrorCode.STREAM_SIZE_MISMATCH, "the upload exists with another size", streamId);
                }
                return row.get().received();
            }
            UUID blob = UUID.randomUUID();
            jdbc.update("INSERT INTO blob (id, size) VALUES (?, ?)", blob, totalSize);
            int inserted = jdbc.update("""
                    INSERT INTO upload (owner, stream_id, blob_id, total_size) VALUES (?, ?, ?, ?)
                    ON CONFLICT (owner, stream_id) DO NOTHING""", owner.toString(), streamId, blob, totalSize);
            if (inserted == 0) {
                throw new ProtocolException(ErrorCode.BUSY, "the same upload began twice at once", streamId);
            }
            if (digests.size() < MAX_RUNNING_DIGESTS) {
                digests.put(key(owner, streamId), new RunningDigest());
            }
            return 0L;
        });
    }

    @Override
    public void append(Identity owner, String streamId, long offset, ByteString data) {
        tx.executeWithoutResult(status -> {
            jdbc.execute("SET LOCAL synchronous_commit = off");
            Row row = lock(owner, streamId).orElseThrow(() ->
                    new ProtocolException(ErrorCode.UNKNOWN_STREAM, "no such upload", streamId));
            if (offset != row.received() || offset + data.size() > row.total()) {
                throw new ProtocolException(ErrorCode.OUT_OF_ORDER_CHUNK, "append at " + offset + ", holding " + row.received(), streamId);
            }
            jdbc.update("INSERT INTO blob_chunk (blob_id, \"offset\", data) VALUES (?, ?, ?)", row.blobId(), offset, data.toByteArray());
            jdbc.update("UPDATE upload SET received = received + ?, updated_at = now() WHERE owner = ? AND stream_id = ?",
                    data.size(), owner.toString(), streamId);
        });
        // After the commit: the chunk is durable at this offset.
        RunningDigest d = digests.get(key(owner, streamId));
        if (d != null) {
            synchronized (d) {
                if (d.hashed == offset) {
                    d.sha256.update(data.asReadOnlyByteBuffer());
                    d.hashed += data.size();
                } else {
                    digests.remove(key(owner, streamId)); // another node took part: hash from the database
                }
            }
        }
    }

    @Override
    public void complete(Identity owner, String streamId, Sha256 digest) {
        boolean matched = Boolean.TRUE.equals(tx.execute(status -> {
            Row row = lock(owner, streamId).orElseThrow(() ->
                    new ProtocolException(ErrorCode.UNKNOWN_STREAM, "no such upload", streamId));
            if (row.received() != row.total()) {
                throw new ProtocolException(ErrorCode.STREAM_SIZE_MISMATCH, "holding " + row.received() + " of " + row.total(), streamId);
            }
            RunningDigest running = digests.remove(key(owner, streamId));
            Sha256 actual;
            if (running != null && running.hashed == row.total()) {
                synchronized (running) {
                    actual = Sha256.of(running.sha256.digest());
                }
            } else {
                MessageDigest sha256 = sha256();
                jdbc.query("SELECT data FROM blob_chunk WHERE blob_id = ? ORDER BY \"offset\"", rs -> {
                    sha256.update(rs.getBytes(1));
                }, row.blobId());
                actual = Sha256.of(sha256.digest());
            }
            if (!actual.equals(digest)) {
                jdbc.update("DELETE FROM upload WHERE owner = ? AND stream_id = ?", owner.toString(), streamId);
                jdbc.update("DELETE FROM blob WHERE id = ?", row.blobId());
                return false;
            }
            jdbc.update("UPDATE blob SET complete = true, sha256 = ? WHERE id = ?", actual.bytes(), row.blobId());
            return true;
        }));
        if (!matched) {
            throw new ProtocolException(ErrorCode.DIGEST_MISMATCH, "the upload was discarded", streamId);
        }
    }

    @Override
    public boolean isComplete(Identity owner, String streamId) {
        return Boolean.TRUE.equals(jdbc.query("""
                SELECT b.complete FROM upload u JOIN blob b ON b.id = u.blob_id WHERE u.owner = ? AND u.stream_id = ?""",
                rs -> rs.next() && rs.getBoolean(1), owner.toString(), streamId));
    }

    /** The complete upload of {@code streamId} by {@code owner}. */
    public Optional<Upload> completed(Identity owner, String streamId) {
        return jdbc.query("""
                SELECT u.blob_id, u.total_size FROM upload u JOIN blob b ON b.id = u.blob_id
                WHERE u.owner = ? AND u.stream_id = ? AND b.complete""",
                (rs, i) -> new Upload(rs.getObject(1, UUID.class), rs.getLong(2)), owner.toString(), streamId).stream().findFirst();
    }

    /** The uploads now belong to a document: forget them as uploads (the blobs stay). Part of the caller's transaction. */
    public void promote(Identity owner, List<String> streamIds) {
        for (String id : streamIds) {
            jdbc.update("DELETE FROM upload WHERE owner = ? AND stream_id = ?", owner.toString(), id);
        }
    }

    /**
     * Uploads nobody completed and submitted within {@code pouch.uploads.expire-after} (a client
     * that gave up, or was replaced) are removed with their stored chunks, every hour.
     *
     * @return how many were removed
     */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    public int expireAbandoned() {
        return expireOlderThan(expireAfter);
    }

    int expireOlderThan(Duration age) {
        Integer removed = tx.execute(status -> {
            List<UUID> blobs = jdbc.query("DELETE FROM upload WHERE updated_at < now() - make_interval(secs => ?) RETURNING blob_id",
                    (rs, i) -> rs.getObject(1, UUID.class), (double) age.toSeconds());
            for (UUID blob : blobs) {
                jdbc.update("DELETE FROM blob WHERE id = ? AND NOT EXISTS (SELECT 1 FROM document WHERE main_blob = ?)"
                        + " AND NOT EXISTS (SELECT 1 FROM document_part WHERE blob_id = ?)", blob, blob, blob);
            }
            return blobs.size();
        });
        if (removed != null && removed > 0) {
            log.info("removed {} uploads abandoned for more than {}", removed, age);
        }
        return removed == null ? 0 : removed;
    }

    /** A refused submission leaves nothing behind: its uploads and their blobs go. */
    public void discard(Identity owner, List<String> streamIds) {
        tx.executeWithoutResult(status -> {
            for (String id : streamIds) {
                jdbc.query("SELECT blob_id FROM upload WHERE owner = ? AND stream_id = ?", (rs, i) -> rs.getObject(1, UUID.class),
                        owner.toString(), id).forEach(blob -> {
                            jdbc.update("DELETE FROM upload WHERE owner = ? AND stream_id = ?", owner.toString(), id);
                            jdbc.update("DELETE FROM blob WHERE id = ? AND NOT EXISTS (SELECT 1 FROM document WHERE main_blob = ?)"
                                    + " AND NOT EXISTS (SELECT 1 FROM document_part WHERE blob_id = ?)", blob, blob, blob);
                        });
            }
        });
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
