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
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.Set;

/**
 * Administration over HTTPS, for staff with the ADMIN role (the audit check also for AUDITOR):
 * staff, certificates (enrolment of keys the holder generated, revocation), dead letters, and the
 * audit chain. Every act is audited.
 */
@RestController
@RequestMapping("/api/admin")
class AdminController {

    record StaffRequest(@NotBlank String organization, @NotBlank String staffId, @NotBlank String displayName,
            @NotEmpty Set<Role> roles, @NotNull Classification clearance) {
    }

    record StaffView(String organization, String staffId, String displayName, Set<Role> roles, Classification clearance, boolean active) {
        static StaffView of(Staff s) {
            return new StaffView(s.organization().value(), s.staffId(), s.displayName(), s.roles(), s.clearance(), s.active());
        }
    }

    /** A public key (PEM "PUBLIC KEY") its holder wants certified. */
    record EnrolRequest(@NotBlank String publicKeyPem) {
    }

    record OrganizationEnrolRequest(@NotNull Purpose purpose, @NotBlank String publicKeyPem) {
        enum Purpose { SIGNING, KEY_AGREEMENT }
    }

    record Issued(String serial, String certificatePem, String chainPem) {
    }

    record RevokeRequest(@NotNull RevocationReason reason) {
    }

    private final Callers callers;
    private final StaffRepository staff;
    private final Directory directory;
    private final ExchangePki pki;
    private final DeadLetters deadLetters;
    private final AuditVerifier verifier;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    AdminController(Callers callers, StaffRepository staff, Directory directory, ExchangePki pki, DeadLetters deadLetters,
            AuditVerifier verifier, AuditLog audit, TransactionTemplate tx) {
        this.callers = callers;
        this.staff = staff;
        this.directory = directory;
        this.pki = pki;
        this.deadLetters = deadLetters;
        this.verifier = verifier;
        this.audit = audit;
        this.tx = tx;
    }

    @PostMapping("/staff")
    StaffView saveStaff(@Valid @RequestBody StaffRequest body, HttpServletRequest request) {
        Staff admin = callers.require(request, Role.ADMIN);
        OrgCode org = organization(body.organization());
        if (!Identity.isValidStaffId(body.staffId())) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "a staff id is 1-64 lower-case letters, digits, '.', '_' or '-'");
        }
        if (!body.clearance().isWithin(Classification.INTERNAL)) {
            throw new ProtocolException(ErrorCode.CLASSIFICATION_ABOVE_CEILING, "clearances above INTERNAL are not used here");
        }
        Staff saved = tx.execute(s -> {
            Staff result = staff.save(org, body.staffId(), body.displayName(), body.roles(), body.clearance());
            audit.record(admin.identity().toString(), AuditLog.Action.STAFF_SAVED, result.identity().toString(), AuditLog.Outcome.OK,
                    "roles " + body.roles() + ", clearance " + body.clearance());
            return result;
        });
        return StaffView.of(saved);
    }

    @DeleteMapping("/staff/{organization}/{staffId}")
    void deactivate(@PathVariable String organization, @PathVariable String staffId, HttpServletRequest request) {
        Staff admin = callers.require(request, Role.ADMIN);
        OrgCode org = organization(organization);
        tx.executeWithoutResult(s -> {
            staff.deactivate(org, staffId);
            audit.record(admin.identity().toString(), AuditLog.Action.STAFF_DEACTIVATED, Identity.staff(org, staffId).toString(),
                    AuditLog.Outcome.OK, "");
        });
    }

    @PostMapping("/staff/{organization}/{staffId}/certificates")
    Issued enrolStaff(@PathVariable String organization, @PathVariable String staffId, @Valid @RequestBody EnrolRequest body,
            HttpServletRequest request) {
        Staff admin = callers.require(request, Role.ADMIN);
        OrgCode org = organization(organization);
        Staff member = staff.find(org, staffId).filter(Staff::active)
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no active staff member " + staffId + " of " + org));
        return certify(admin, CertificateProfile.STAFF_TLS_CLIENT, member.identity(), body.publicKeyPem(), Duration.ofDays(365));
    }

    @PostMapping("/organizations/{organization}/certificates")
    Issued enrolOrganization(@PathVariable String organization, @Valid @RequestBody OrganizationEnrolRequest body,
            HttpServletRequest request) {
        Staff admin = callers.require(request, Role.ADMIN);
        CertificateProfile profile = body.purpose() == OrganizationEnrolRequest.Purpose.SIGNING
                ? CertificateProfile.ORGANIZATION_SIGNING : CertificateProfile.ORGANIZATION_KEY_AGREEMENT;
        return certify(admin, profile, Identity.organization(organization(organization)), body.publicKeyPem(), Duration.ofDays(730));
    }

    private Issued certify(Staff admin, CertificateProfile profile, Identity identity, String publicKeyPem, Duration validity) {
        X509Certificate cert = pki.certify(profile, identity, Pem.readPublicKey(publicKeyPem), validity);
        String serial = cert.getSerialNumber().toString(16);
        tx.executeWithoutResult(s -> audit.record(admin.identity().toString(), AuditLog.Action.CERTIFICATE_ISSUED, serial,
                AuditLog.Outcome.OK, profile + " for " + identity));
        return new Issued(serial, Pem.certificate(cert), Pem.certificates(List.of(cert, pki.root())));
    }

    @PostMapping("/certificates/{serial}/revoke")
    void revoke(@PathVariable String serial, @Valid @RequestBody RevokeRequest body, HttpServletRequest request) {
        Staff admin = callers.require(request, Role.ADMIN);
        if (!pki.revoke(serial, body.reason())) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no unrevoked certificate with serial " + serial);
        }
        tx.executeWithoutResult(s -> audit.record(admin.identity().toString(), AuditLog.Action.CERTIFICATE_REVOKED, serial,
                AuditLog.Outcome.OK, body.reason().name()));
    }

    @GetMapping("/dead-letters")
    List<DeadLetters.DeadLetter> deadLetters(HttpServletRequest request) {
        callers.require(request, Role.ADMIN);
        return deadLetters.list(1000);
    }

    @PostMapping("/dead-letters/{documentId}/{organization}/retry")
    void retryDeadLetter(@PathVariable UUID documentId, @PathVariable String organization, HttpServletRequest request) {
        Staff admin = callers.require(request, Role.ADMIN);
        OrgCode org = organization(organization);
        if (!deadLetters.retry(documentId, org)) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no dead letter of " + documentId + " for " + org);
        }
        tx.executeWithoutResult(s -> audit.record(admin.identity().toString(), AuditLog.Action.DEAD_LETTER_RETRIED,
                documentId.toString(), AuditLog.Outcome.OK, org.value()));
    }

    @GetMapping("/audit/verify")
    AuditVerifier.Report verifyAudit(HttpServletRequest request) {
        Staff caller = callers.require(request, Role.ADMIN, Role.AUDITOR);
        AuditVerifier.Report report = verifier.verify();
        tx.executeWithoutResult(s -> audit.record(caller.identity().toString(), AuditLog.Action.AUDIT_VERIFIED, "",
                report.intact() ? AuditLog.Outcome.OK : AuditLog.Outcome.FAILED, report.problems().size() + " problems"));
        return report;
    }

    private OrgCode organization(String code) {
        if (!OrgCode.isValid(code) || !directory.exists(OrgCode.of(code))) {
            throw new ProtocolException(ErrorCode.UNKNOWN_RECIPIENT, code + " is not an organization of this exchange");
        }
        return OrgCode.of(code);
    }
}
