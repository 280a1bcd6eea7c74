package dev.pouch.server.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * The chain's hash: SHA-256 over the previous hash and an unambiguous (length-prefixed) encoding of
 * the row, including its chain position, so that an edited, deleted, inserted or reordered row
 * breaks every hash after it.
 */
final class AuditHashes {

    static final byte[] GENESIS = new byte[32];

    private AuditHashes() {
    }

    static byte[] hash(byte[] previous, long position, long id, Instant at, String actor, String action, String subject,
            String outcome, String detail) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(previous);
            out.writeLong(position);
            out.writeLong(id);
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
            for (String s : new String[] {actor, action, subject, outcome, detail}) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
            return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a checkpoint signature covers. */
    static byte[] checkpointMessage(long position, byte[] hash) {
        byte[] prefix = "pouch-audit-checkpoint/v1".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + 8 + hash.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        for (int i = 0; i < 8; i++) {
            out[prefix.length + i] = (byte) (position >>> (56 - 8 * i));
        }
        System.arraycopy(hash, 0, out, prefix.length + 8, hash.length);
        return out;
    }
}
