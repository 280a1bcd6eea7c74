package dev.pouch.server.web.console;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.web.Callers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.stereotype.Component;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Who is using the console, decided afresh on every request from the session: the staff member is
 * read from the database (deactivated: signed out; roles and clearance as they are now), and a
 * certificate sign-in must still present the same valid certificate (revoked: refused at once).
 * Also keeps the session's anti-forgery token.
 */
@Component
class ConsoleAccess {

    static final String SIGNED_IN = "pouch.console.signedIn";
    static final String CSRF = "pouch.console.csrf";
    static final String CSRF_PARAMETER = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StaffRepository staff;
    private final Callers callers;

    ConsoleAccess(StaffRepository staff, Callers callers) {
        this.staff = staff;
        this.callers = callers;
    }

    /** The signed-in staff member, who must hold one of {@code roles} (any role if none). */
    Staff require(HttpServletRequest request, Role... roles) {
        Staff member = current(request).orElseThrow(() -> new ProtocolException(ErrorCode.SIGN_IN_REQUIRED, ""));
        if (roles.length > 0 && Arrays.stream(roles).noneMatch(member::has)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "this needs one of the roles " + Arrays.toString(roles));
        }
        return member;
    }

    /** The signed-in staff member, if any; a session whose staff member is gone is ended. */
    Optional<Staff> current(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(SIGNED_IN) instanceof SignedIn who)) {
            return Optional.empty();
        }
        Optional<Staff> member = staff.find(OrgCode.of(who.organization()), who.staffId()).filter(Staff::active);
        if (member.isEmpty()) {
            session.invalidate();
            throw new ProtocolException(ErrorCode.UNKNOWN_STAFF, "you were signed out");
        }
        if (who.method() == SignedIn.Method.CERTIFICATE) {
            Staff presented;
            try {
                presented = callers.require(request);
            } catch (ProtocolException e) {
                session.invalidate();
                throw e;
            }
            if (!presented.identity().equals(member.get().identity())) {
                session.invalidate();
                throw new ProtocolException(ErrorCode.SIGN_IN_FAILED, "the certificate changed during the session");
            }
        }
        return member;
    }

    /** Starts a signed-in session under a new id (no session fixation) with a new anti-forgery token. */
    void signIn(HttpServletRequest request, Staff member, SignedIn.Method method, java.time.Instant at) {
        HttpSession session = request.getSession(true);
        request.changeSessionId();
        session.setAttribute(SIGNED_IN, new SignedIn(member.organization().value(), member.staffId(), method, at));
        session.setAttribute(CSRF, newToken());
    }

    void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    /** The session's anti-forgery token, creating the session (before sign-in, too: the sign-in form is protected). */
    String csrfToken(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        Object token = session.getAttribute(CSRF);
        if (token instanceof String t) {
            return t;
        }
        String t = newToken();
        session.setAttribute(CSRF, t);
        return t;
    }

    /** FORM_EXPIRED unless the request carries this session's token (form field or header). */
    void checkCsrf(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object expected = session == null ? null : session.getAttribute(CSRF);
        String given = request.getHeader(CSRF_HEADER);
        if (given == null) {
            given = request.getParameter(CSRF_PARAMETER);
        }
        if (!(expected instanceof String e) || given == null
                || !MessageDigest.isEqual(e.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new ProtocolException(ErrorCode.FORM_EXPIRED, "the anti-forgery token is missing or not this session's");
        }
    }

    private static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
