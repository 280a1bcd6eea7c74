package dev.pouch.server.web;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.Pem;
import dev.pouch.crypto.pki.RevocationReason;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.audit.AuditVerifier;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.pki.ExchangePki;
import dev.pouch.server.routing.DeadLetters;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The administrators' acts, shared by the REST API and the web console so that both check and audit
 * them alike: staff, certificates (enrolment of keys the holder generated, revocation), dead letters
 * and the audit chain. The caller has already been checked for the ADMIN (or AUDITOR) role.
 */
@Component
public class AdminActs {

    /** A certificate just issued: its serial, PEM, and the chain up to the exchange root. */
    public record Issued(String serial, String certificatePem, String chainPem) {
    }

    private final StaffRepository staff;
    private final Directory directory;
    private final ExchangePki pki;
    private final DeadLetters deadLetters;
    private final AuditVerifier verifier;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    AdminActs(StaffRepository staff, Directory directory, ExchangePki pki, DeadLetters deadLetters, AuditVerifier verifier,
            AuditLog audit, TransactionTemplate tx) {
        this.staff = staff;
        this.directory = directory;
        this.pki = pki;
        this.deadLetters = deadLetters;
        this.verifier = verifier;
        this.audit = audit;
        this.tx = tx;
    }

    public Staff saveStaff(Staff admin, String organization, String staffId, String displayName, Set<Role> roles,
            Classification clearance) {
        OrgCode org = organization(organization);
        if (!Identity.isValidStaffId(staffId)) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "a staff id is 1-64 lower-case letters, digits, '.', '_' or '-'");
        }
        if (!clearance.isWithin(Classification.INTERNAL)) {
            throw new ProtocolException(ErrorCode.CLASSIFICATION_ABOVE_CEILING, "clearances above INTERNAL are not used here");
        }
        return tx.execute(s -> {
            Staff result = staff.save(org, staffId, displayName, roles, clearance);
            audit.record(admin.identity().toString(), AuditLog.Action.STAFF_SAVED, result.identity().toString(), AuditLog.Outcome.OK,
                    "roles " + roles + ", clearance " + clearance);
            return result;
        });
    }

    public void deactivate(Staff admin, String organization, String staffId) {
        OrgCode org = organization(organization);
        tx.executeWithoutResult(s -> {
            staff.deactivate(org, staffId);
            audit.record(admin.identity().toString(), AuditLog.Action.STAFF_DEACTIVATED, Identity.staff(org, staffId).toString(),
                    AuditLog.Outcome.OK, "");
        });
    }

    /** A TLS client certificate for an active staff member's public key (PEM). */
    public Issued enrolStaff(Staff admin, String organization, String staffId, String publicKeyPem) {
        OrgCode org = organization(organization);
        Staff member = staff.find(org, staffId).filter(Staff::active)
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no active staff member " + staffId + " of " + org));
        return certify(admin, CertificateProfile.STAFF_TLS_CLIENT, member.identity(), publicKeyPem, Duration.ofDays(365));
    }

    /** An organization's signing or key-agreement certificate for its public key (PEM). */
    public Issued enrolOrganization(Staff admin, String organization, boolean signing, String publicKeyPem) {
        CertificateProfile profile = signing ? CertificateProfile.ORGANIZATION_SIGNING : CertificateProfile.ORGANIZATION_KEY_AGREEMENT;
        return certify(admin, profile, Identity.organization(organization(organization)), publicKeyPem, Duration.ofDays(730));
    }

    private Issued certify(Staff admin, CertificateProfile profile, Identity identity, String publicKeyPem, Duration validity) {
        X509Certificate cert = pki.certify(profile, identity, Pem.readPublicKey(publicKeyPem), validity);
        String serial = cert.getSerialNumber().toString(16);
        tx.executeWithoutResult(s -> audit.record(admin.identity().toString(), AuditLog.Action.CERTIFICATE_ISSUED, serial,
                AuditLog.Outcome.OK, profile + " for " + identity));
        return new Issued(serial, Pem.certificate(cert), Pem.certificates(List.of(cert, pki.root())));
    }

    public void revoke(Staff admin, String serial, RevocationReason reason) {
        if (!pki.revoke(serial, reason)) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no unrevoked certificate with serial " + serial);
        }
        tx.executeWithoutResult(s -> audit.record(admin.identity().toString(), AuditLog.Action.CERTIFICATE_REVOKED, serial,
                AuditLog.Outcome.OK, reason.name()));
    }

    public void retryDeadLetter(Staff admin, UUID documentId, String organization) {
        OrgCode org = organization(organization);
        if (!deadLetters.retry(documentId, org)) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no dead letter of " + documentId + " for " + org);
        }
        tx.executeWithoutResult(s -> audit.record(admin.identity().toString(), AuditLog.Action.DEAD_LETTER_RETRIED,
                documentId.toString(), AuditLog.Outcome.OK, org.value()));
    }

    public AuditVerifier.Report verifyAudit(Staff caller) {
        AuditVerifier.Report report = verifier.verify();
        tx.executeWithoutResult(s -> audit.record(caller.identity().toString(), AuditLog.Action.AUDIT_VERIFIED, "",
                report.intact() ? AuditLog.Outcome.OK : AuditLog.Outcome.FAILED, report.problems().size() + " problems"));
        return report;
    }

    private OrgCode organization(String code) {
        if (code == null || !OrgCode.isValid(code) || !directory.exists(OrgCode.of(code))) {
            throw new ProtocolException(ErrorCode.UNKNOWN_RECIPIENT, code + " is not an organization of this exchange");
        }
        return OrgCode.of(code);
    }
}
