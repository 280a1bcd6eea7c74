package dev.pouch.server.archive;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.protocol.stream.StreamSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.UUID;

/**
 * Sealed objects stored as rows of chunks (as they arrived), readable whole or by offset so that
 * a delivery can resume in the middle.
 */
@Repository
public class BlobStore {

    private final JdbcTemplate jdbc;

    public BlobStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Size and digest of a complete blob. */
    public record Info(UUID id, long size, Sha256 sha256) {
    }

    public Info info(UUID blobId) {
        return jdbc.queryForObject("SELECT id, size, sha256 FROM blob WHERE id = ? AND complete",
                (rs, i) -> new Info(rs.getObject(1, UUID.class), rs.getLong(2), Sha256.of(rs.getBytes(3))), blobId);
    }

    /** The whole blob in memory (sealed main objects are at most tens of MiB). */
    public byte[] read(UUID blobId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        jdbc.query("SELECT data FROM blob_chunk WHERE blob_id = ? ORDER BY \"offset\"", rs -> {
            out.writeBytes(rs.getBytes(1));
        }, blobId);
        return out.toByteArray();
    }

    /** A source reading the blob by offset, a chunk at a time. */
    public StreamSource source(UUID blobId) {
        Info info = info(blobId);
        return new StreamSource() {
            @Override
            public long size() {
                return info.size();
            }

            @Override
            public ByteString read(long offset, int length) {
                List<ByteString> found = jdbc.query("""
                        SELECT "offset", data FROM blob_chunk WHERE blob_id = ? AND "offset" <= ?
                        ORDER BY "offset" DESC LIMIT 1""", (rs, i) -> {
                    long start = rs.getLong(1);
                    byte[] data = rs.getBytes(2);
                    int from = (int) (offset - start);
                    return UnsafeByteOperations.unsafeWrap(data, from, Math.min(length, data.length - from));
                }, blobId, offset);
                if (found.isEmpty() || found.getFirst().isEmpty()) {
                    throw new IllegalStateException("blob " + blobId + " has no data at " + offset);
                }
                return found.getFirst();
            }

            @Override
            public Sha256 sha256() {
                return info.sha256();
            }
        };
    }
}
