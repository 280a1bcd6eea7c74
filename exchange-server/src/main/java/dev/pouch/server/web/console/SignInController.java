package dev.pouch.server.web.console;

import dev.pouch.crypto.Password;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.web.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.security.cert.X509Certificate;
import java.time.Clock;

/**
 * Signing in and out of the console: with the browser's staff certificate (validated exactly as the
 * REST API validates it), or — where enabled — with a staff member's console password. Every sign-in,
 * refusal and sign-out is audited; the password never is.
 */
@Controller
class SignInController {

    private final ConsoleAccess access;
    private final Callers callers;
    private final StaffPasswords passwords;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final boolean passwordSignIn;

    SignInController(ConsoleAccess access, Callers callers, StaffPasswords passwords, AuditLog audit, TransactionTemplate tx,
            Clock clock, ConsoleProperties console, PouchProperties properties) {
        this.access = access;
        this.callers = callers;
        this.passwords = passwords;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.passwordSignIn = console.passwordSignIn(properties.demo());
    }

    @GetMapping("/console")
    String home() {
        return "redirect:/console/inbox";
    }

    @GetMapping("/console/signin")
    String form(HttpServletRequest request) {
        if (request.getAttribute("me") != null) {
            return "redirect:/console/inbox";
        }
        X509Certificate[] chain = (X509Certificate[]) request.getAttribute("jakarta.servlet.request.X509Certificate");
        request.setAttribute("certificatePresented", chain != null && chain.length > 0
                ? chain[0].getSubjectX500Principal().getName() : null);
        return "console/signin";
    }

    @PostMapping("/console/signin/certificate")
    String withCertificate(HttpServletRequest request) {
        Staff member;
        try {
            member = callers.require(request);
        } catch (ProtocolException e) {
            record("certificate", AuditLog.Action.LOGIN_REFUSED, AuditLog.Outcome.REFUSED, e.code().name() + " " + e.detail());
            throw e;
        }
        access.signIn(request, member, SignedIn.Method.CERTIFICATE, clock.instant());
        record(member.identity().toString(), AuditLog.Action.LOGIN, AuditLog.Outcome.OK, "console, certificate");
        return "redirect:/console/inbox";
    }

    @PostMapping("/console/signin")
    String withPassword(@RequestParam String organization, @RequestParam String staffId, @RequestParam String password,
            HttpServletRequest request) {
        if (!passwordSignIn) {
            throw new ProtocolException(ErrorCode.NOT_AVAILABLE, "password sign-in is off on this exchange; use your certificate");
        }
        String org = organization.strip().toUpperCase(java.util.Locale.ROOT);
        String id = staffId.strip();
        Staff member;
        try {
            if (password.isEmpty()) {
                throw new ProtocolException(ErrorCode.SIGN_IN_FAILED, "");
            }
            member = passwords.check(org, id, Password.of(password));
        } catch (ProtocolException e) {
            String who = org.length() <= 16 && id.length() <= 64 ? org + "/" + id : "(overlong name)";
            record(who, AuditLog.Action.LOGIN_REFUSED, AuditLog.Outcome.REFUSED, "console, password: " + e.code().name());
            throw e;
        }
        access.signIn(request, member, SignedIn.Method.PASSWORD, clock.instant());
        record(member.identity().toString(), AuditLog.Action.LOGIN, AuditLog.Outcome.OK, "console, password");
        return "redirect:/console/inbox";
    }

    @PostMapping("/console/signout")
    String signOut(HttpServletRequest request) {
        Object me = request.getAttribute("me");
        access.signOut(request);
        if (me instanceof Staff member) {
            record(member.identity().toString(), AuditLog.Action.LOGOUT, AuditLog.Outcome.OK, "console");
        }
        return "redirect:/console/signin";
    }

    private void record(String actor, AuditLog.Action action, AuditLog.Outcome outcome, String detail) {
        tx.executeWithoutResult(s -> audit.record(actor, action, "console", outcome, detail));
    }
}
