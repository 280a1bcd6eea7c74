package dev.pouch.server.web;

import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.pki.CertificateUsage;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.IdentityKind;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.pki.ExchangePki;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * Who is calling a REST endpoint, or signing in to the web console with a certificate: the staff
 * member named by the validated client certificate, read afresh from the database on every request
 * (a role change takes effect at once).
 */
@Component
public class Callers {

    private final ExchangePki pki;
    private final StaffRepository staff;

    Callers(ExchangePki pki, StaffRepository staff) {
        this.pki = pki;
        this.staff = staff;
    }

    /** The caller, who must hold at least one of {@code roles} (any role if none are given). */
    public Staff require(HttpServletRequest request, Role... roles) {
        X509Certificate[] chain = (X509Certificate[]) request.getAttribute("jakarta.servlet.request.X509Certificate");
        if (chain == null || chain.length == 0) {
            throw new ProtocolException(ErrorCode.UNKNOWN_STAFF, "present your staff certificate");
        }
        Identity identity;
        try {
            identity = pki.validator().validate(List.of(chain), CertificateUsage.TLS_CLIENT, ValidationTime.now()).identity();
        } catch (CryptoException e) {
            throw new ProtocolException(ErrorCode.of(e.error()), e.detail());
        }
        if (identity.kind() != IdentityKind.STAFF) {
            throw new ProtocolException(ErrorCode.UNKNOWN_STAFF, identity + " is not a staff member");
        }
        Staff s = staff.find(identity.requireOrganization(), identity.staffId().orElseThrow()).filter(Staff::active)
                .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_STAFF, identity + " is not an active staff member"));
        if (roles.length > 0 && Arrays.stream(roles).noneMatch(s::has)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "this needs one of the roles " + Arrays.toString(roles));
        }
        return s;
    }
}
