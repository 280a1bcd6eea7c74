package dev.pouch.server.web;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.pki.RevocationReason;
import dev.pouch.server.audit.AuditVerifier;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.routing.DeadLetters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;
import java.util.Set;

/**
 * Administration over HTTPS, for staff with the ADMIN role (the audit check also for AUDITOR):
 * staff, certificates (enrolment of keys the holder generated, revocation), dead letters, and the
 * audit chain. Every act is audited; the acts themselves are {@link AdminActs}, shared with the web console.
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
        static Issued of(AdminActs.Issued i) {
            return new Issued(i.serial(), i.certificatePem(), i.chainPem());
        }
    }

    record RevokeRequest(@NotNull RevocationReason reason) {
    }

    private final Callers callers;
    private final AdminActs acts;
    private final DeadLetters deadLetters;

    AdminController(Callers callers, AdminActs acts, DeadLetters deadLetters) {
        this.callers = callers;
        this.acts = acts;
        this.deadLetters = deadLetters;
    }

    @PostMapping("/staff")
    StaffView saveStaff(@Valid @RequestBody StaffRequest body, HttpServletRequest request) {
        Staff admin = callers.require(request, Role.ADMIN);
        return StaffView.of(acts.saveStaff(admin, body.organization(), body.staffId(), body.displayName(), body.roles(),
                body.clearance()));
    }

    @DeleteMapping("/staff/{organization}/{staffId}")
    void deactivate(@PathVariable String organization, @PathVariable String staffId, HttpServletRequest request) {
        acts.deactivate(callers.require(request, Role.ADMIN), organization, staffId);
    }

    @PostMapping("/staff/{organization}/{staffId}/certificates")
    Issued enrolStaff(@PathVariable String organization, @PathVariable String staffId, @Valid @RequestBody EnrolRequest body,
            HttpServletRequest request) {
        return Issued.of(acts.enrolStaff(callers.require(request, Role.ADMIN), organization, staffId, body.publicKeyPem()));
    }

    @PostMapping("/organizations/{organization}/certificates")
    Issued enrolOrganization(@PathVariable String organization, @Valid @RequestBody OrganizationEnrolRequest body,
            HttpServletRequest request) {
        Staff admin = callers.require(request, Role.ADMIN);
        return Issued.of(acts.enrolOrganization(admin, organization,
                body.purpose() == OrganizationEnrolRequest.Purpose.SIGNING, body.publicKeyPem()));
    }

    @PostMapping("/certificates/{serial}/revoke")
    void revoke(@PathVariable String serial, @Valid @RequestBody RevokeRequest body, HttpServletRequest request) {
        acts.revoke(callers.require(request, Role.ADMIN), serial, body.reason());
    }

    @GetMapping("/dead-letters")
    List<DeadLetters.DeadLetter> deadLetters(HttpServletRequest request) {
        callers.require(request, Role.ADMIN);
        return deadLetters.list(1000);
    }

    @PostMapping("/dead-letters/{documentId}/{organization}/retry")
    void retryDeadLetter(@PathVariable UUID documentId, @PathVariable String organization, HttpServletRequest request) {
        acts.retryDeadLetter(callers.require(request, Role.ADMIN), documentId, organization);
    }

    @GetMapping("/audit/verify")
    AuditVerifier.Report verifyAudit(HttpServletRequest request) {
        return acts.verifyAudit(callers.require(request, Role.ADMIN, Role.AUDITOR));
    }
}
