package dev.pouch.server.web.console;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.RevocationReason;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.routing.DeadLetters;
import dev.pouch.server.web.AdminActs;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Administration pages, for staff with the ADMIN role (the audit check also for AUDITOR), doing
 * exactly what the REST administration API does ({@link AdminActs}): organizations, staff,
 * certificates (issue for a holder's public key, revoke), dead letters (retry) and audit
 * verification; and, where password sign-in is on, staff members' console passwords. Every page
 * read and every act is audited.
 */
@Controller
class AdminPagesController {

    static final int MIN_PASSWORD = 12;

    private final ConsoleAccess access;
    private final AdminActs acts;
    private final Directory directory;
    private final ConsoleQueries queries;
    private final DeadLetters deadLetters;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final StaffRepository staffRepository;
    private final StaffPasswords passwords;
    private final boolean passwordSignIn;

    AdminPagesController(ConsoleAccess access, AdminActs acts, Directory directory, ConsoleQueries queries, DeadLetters deadLetters,
            AuditLog audit, TransactionTemplate tx, StaffRepository staffRepository, StaffPasswords passwords,
            ConsoleProperties console, PouchProperties properties) {
        this.access = access;
        this.acts = acts;
        this.directory = directory;
        this.queries = queries;
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.tx = tx;
        this.staffRepository = staffRepository;
        this.passwords = passwords;
        this.passwordSignIn = console.passwordSignIn(properties.demo());
    }

    @GetMapping("/console/admin")
    String home(HttpServletRequest request) {
        Staff me = access.require(request, Role.ADMIN, Role.AUDITOR);
        return me.has(Role.ADMIN) ? "redirect:/console/admin/organizations" : "redirect:/console/admin/audit";
    }

    @GetMapping("/console/admin/organizations")
    String organizations(HttpServletRequest request, Model model) {
        Staff me = access.require(request, Role.ADMIN);
        read(me, AuditLog.Action.DIRECTORY_READ, "organizations");
        model.addAttribute("organizations", directory.all());
        model.addAttribute("tab", "organizations");
        return "console/admin-organizations";
    }

    @GetMapping("/console/admin/staff")
    String staff(@RequestParam(required = false) String organization, HttpServletRequest request, Model model) {
        Staff me = access.require(request, Role.ADMIN);
        String org = organization == null || organization.isBlank() ? null : organization.strip().toUpperCase(java.util.Locale.ROOT);
        read(me, AuditLog.Action.DIRECTORY_READ, "staff" + (org == null ? "" : " of " + org));
        model.addAttribute("staff", queries.staff(org));
        model.addAttribute("organization", org == null ? "" : org);
        model.addAttribute("roles", Role.values());
        model.addAttribute("passwordSignIn", passwordSignIn);
        model.addAttribute("tab", "staff");
        return "console/admin-staff";
    }

    @PostMapping("/console/admin/staff")
    String saveStaff(@RequestParam String organization, @RequestParam String staffId, @RequestParam String displayName,
            @RequestParam(required = false) List<Role> roles, @RequestParam Classification clearance, HttpServletRequest request,
            RedirectAttributes redirect) {
        Staff me = access.require(request, Role.ADMIN);
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("choose at least one role");
        }
        if (displayName.isBlank()) {
            throw new IllegalArgumentException("give a display name");
        }
        Set<Role> set = EnumSet.copyOf(roles);
        Staff saved = acts.saveStaff(me, organization.strip().toUpperCase(java.util.Locale.ROOT), staffId.strip(), displayName.strip(),
                set, clearance);
        redirect.addFlashAttribute("saved", saved.identity().toString());
        return "redirect:/console/admin/staff?organization=" + saved.organization().value();
    }

    @PostMapping("/console/admin/staff/{organization}/{staffId}/deactivate")
    String deactivate(@PathVariable String organization, @PathVariable String staffId, HttpServletRequest request,
            RedirectAttributes redirect) {
        Staff me = access.require(request, Role.ADMIN);
        acts.deactivate(me, organization, staffId);
        redirect.addFlashAttribute("deactivated", organization + "/" + staffId);
        return "redirect:/console/admin/staff?organization=" + organization;
    }

    /** Sets a staff member's console password (where password sign-in is on); the password is neither logged nor audited. */
    @PostMapping("/console/admin/staff/{organization}/{staffId}/password")
    String setPassword(@PathVariable String organization, @PathVariable String staffId, @RequestParam String password,
            HttpServletRequest request, RedirectAttributes redirect) {
        Staff me = access.require(request, Role.ADMIN);
        if (!passwordSignIn) {
            throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "password sign-in is off on this exchange");
        }
        if (password.length() < MIN_PASSWORD || password.length() > 256) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "a console password has " + MIN_PASSWORD + " to 256 characters");
        }
        Staff member = (OrgCode.isValid(organization) ? staffRepository.find(OrgCode.of(organization), staffId) : Optional.<Staff>empty())
                .filter(Staff::active)
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no active staff member " + staffId + " of " + organization));
        tx.executeWithoutResult(s -> {
            passwords.set(member, Password.of(password));
            audit.record(me.identity().toString(), AuditLog.Action.STAFF_SAVED, member.identity().toString(), AuditLog.Outcome.OK,
                    "console password set");
        });
        redirect.addFlashAttribute("passwordSet", member.identity().toString());
        return "redirect:/console/admin/staff?organization=" + member.organization().value();
    }

    @GetMapping("/console/admin/certificates")
    String certificates(@RequestParam(defaultValue = "") String filter, HttpServletRequest request, Model model) {
        Staff me = access.require(request, Role.ADMIN);
        read(me, AuditLog.Action.CERTIFICATES_READ, "certificates" + (filter.isBlank() ? "" : " matching " + filter));
        model.addAttribute("certificates", queries.certificates(filter, 500));
        model.addAttribute("filter", filter);
        model.addAttribute("reasons", RevocationReason.values());
        model.addAttribute("tab", "certificates");
        return "console/admin-certificates";
    }

    @PostMapping("/console/admin/certificates")
    String issue(@RequestParam String holder, @RequestParam String organization, @RequestParam(defaultValue = "") String staffId,
            @RequestParam String publicKeyPem, HttpServletRequest request, Model model) {
        Staff me = access.require(request, Role.ADMIN);
        String org = organization.strip().toUpperCase(java.util.Locale.ROOT);
        AdminActs.Issued issued = switch (holder) {
            case "STAFF_TLS" -> acts.enrolStaff(me, org, staffId.strip(), publicKeyPem);
            case "ORGANIZATION_SIGNING" -> acts.enrolOrganization(me, org, true, publicKeyPem);
            case "ORGANIZATION_KEY_AGREEMENT" -> acts.enrolOrganization(me, org, false, publicKeyPem);
            default -> throw new IllegalArgumentException("holder is STAFF_TLS, ORGANIZATION_SIGNING or ORGANIZATION_KEY_AGREEMENT");
        };
        model.addAttribute("issued", issued);
        return certificates(issued.serial(), request, model);
    }

    @PostMapping("/console/admin/certificates/{serial}/revoke")
    String revoke(@PathVariable String serial, @RequestParam RevocationReason reason, HttpServletRequest request,
            RedirectAttributes redirect) {
        Staff me = access.require(request, Role.ADMIN);
        acts.revoke(me, serial, reason);
        redirect.addFlashAttribute("revoked", serial);
        return "redirect:/console/admin/certificates?filter=" + serial;
    }

    @GetMapping("/console/admin/dead-letters")
    String deadLetters(HttpServletRequest request, Model model) {
        Staff me = access.require(request, Role.ADMIN);
        List<DeadLetters.DeadLetter> letters = deadLetters.list(1000);
        read(me, AuditLog.Action.DEAD_LETTERS_READ, letters.size() + " dead letters");
        model.addAttribute("letters", letters);
        model.addAttribute("tab", "dead-letters");
        return "console/admin-dead-letters";
    }

    @PostMapping("/console/admin/dead-letters/{documentId}/{organization}/retry")
    String retry(@PathVariable UUID documentId, @PathVariable String organization, HttpServletRequest request,
            RedirectAttributes redirect) {
        Staff me = access.require(request, Role.ADMIN);
        acts.retryDeadLetter(me, documentId, organization);
        redirect.addFlashAttribute("retried", documentId.toString());
        redirect.addFlashAttribute("retriedFor", organization);
        return "redirect:/console/admin/dead-letters";
    }

    @GetMapping("/console/admin/audit")
    String auditPage(HttpServletRequest request, Model model) {
        access.require(request, Role.ADMIN, Role.AUDITOR);
        model.addAttribute("tab", "audit");
        return "console/admin-audit";
    }

    @PostMapping("/console/admin/audit")
    String verify(HttpServletRequest request, Model model) {
        Staff me = access.require(request, Role.ADMIN, Role.AUDITOR);
        model.addAttribute("report", acts.verifyAudit(me));
        model.addAttribute("tab", "audit");
        return "console/admin-audit";
    }

    private void read(Staff me, AuditLog.Action action, String what) {
        tx.executeWithoutResult(s -> audit.record(me.identity().toString(), action, what, AuditLog.Outcome.OK, "console"));
    }
}
