package dev.pouch.server.pki;

import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.Certificates;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.Revocation;
import dev.pouch.crypto.pki.RevocationReason;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Every certificate the exchange issued, its revocation, and the CRLs published. */
@Repository
public class CertificateRepository {

    private final JdbcTemplate jdbc;

    public CertificateRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(X509Certificate certificate, CertificateProfile profile, Identity identity) {
        jdbc.update("""
                INSERT INTO certificate (serial, fingerprint, profile, identity, organization, not_before, not_after, der)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (serial) DO NOTHING""",
                certificate.getSerialNumber().toString(16), Certificates.fingerprint(certificate), profile.name(),
                identity.toString(), identity.organization().map(o -> o.value()).orElse(null),
                Timestamp.from(certificate.getNotBefore().toInstant()), Timestamp.from(certificate.getNotAfter().toInstant()),
                Certificates.encoded(certificate));
    }

    /** The newest unrevoked certificate of a profile for an identity. */
    public Optional<X509Certificate> current(Identity identity, CertificateProfile profile) {
        return jdbc.query("""
                SELECT der FROM certificate WHERE identity = ? AND profile = ? AND revoked_at IS NULL AND not_after > now()
                ORDER BY issued_at DESC, not_after DESC LIMIT 1""",
                (rs, i) -> Certificates.parse(rs.getBytes(1)), identity.toString(), profile.name()).stream().findFirst();
    }

    public Optional<X509Certificate> bySerial(String serialHex) {
        return jdbc.query("SELECT der FROM certificate WHERE serial = ?", (rs, i) -> Certificates.parse(rs.getBytes(1)),
                serialHex.toLowerCase()).stream().findFirst();
    }

    /** Marks a certificate revoked; false if it is unknown or already revoked. */
    public boolean revoke(String serialHex, Instant at, RevocationReason reason) {
        return jdbc.update("UPDATE certificate SET revoked_at = ?, revocation_reason = ? WHERE serial = ? AND revoked_at IS NULL",
                Timestamp.from(at), reason.name(), serialHex.toLowerCase()) == 1;
    }

    public List<Revocation> revocations() {
        return jdbc.query("SELECT serial, revoked_at, revocation_reason FROM certificate WHERE revoked_at IS NOT NULL",
                (rs, i) -> new Revocation(new BigInteger(rs.getString(1), 16), rs.getTimestamp(2).toInstant(),
                        RevocationReason.valueOf(rs.getString(3))));
    }

    public long nextCrlNumber() {
        Long max = jdbc.queryForObject("SELECT max(number) FROM crl", Long.class);
        return max == null ? 1 : max + 1;
    }

    public void recordCrl(long number, X509CRL crl) {
        try {
            jdbc.update("INSERT INTO crl (number, this_update, next_update, der) VALUES (?, ?, ?, ?)", number,
                    Timestamp.from(crl.getThisUpdate().toInstant()), Timestamp.from(crl.getNextUpdate().toInstant()), crl.getEncoded());
        } catch (java.security.cert.CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<X509CRL> latestCrl() {
        return jdbc.query("SELECT der FROM crl ORDER BY number DESC LIMIT 1", (rs, i) -> Certificates.parseCrl(rs.getBytes(1)))
                .stream().findFirst();
    }
}
