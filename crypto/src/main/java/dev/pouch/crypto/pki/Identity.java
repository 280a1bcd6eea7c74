package dev.pouch.crypto.pki;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.document.OrgCode;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a certificate speaks for, carried as one {@code urn:pouch:…} URI in the subject alternative
 * name: {@code urn:pouch:org:FR-EMB}, {@code urn:pouch:staff:FR-EMB:alice}, {@code urn:pouch:archive},
 * {@code urn:pouch:exchange}. Identity always comes from a validated certificate, never from a
 * field a peer sends.
 */
public record Identity(IdentityKind kind, Optional<OrgCode> organization, Optional<String> staffId) {

    private static final String PREFIX = "urn:pouch:";
    private static final Pattern STAFF_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int SAN_URI = 6;

    public Identity {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(organization);
        Objects.requireNonNull(staffId);
        boolean needsOrg = kind == IdentityKind.ORGANIZATION || kind == IdentityKind.STAFF;
        if (needsOrg != organization.isPresent() || (kind == IdentityKind.STAFF) != staffId.isPresent()) {
            throw new CryptoException(CryptoError.INVALID_REQUEST, "inconsistent identity " + kind);
        }
        staffId.ifPresent(id -> {
            if (!STAFF_ID.matcher(id).matches()) {
                throw new CryptoException(CryptoError.INVALID_REQUEST,
                        "staff id must be 1-64 lower-case letters, digits, '.', '_' or '-'");
            }
        });
    }

    public static Identity organization(OrgCode org) {
        return new Identity(IdentityKind.ORGANIZATION, Optional.of(org), Optional.empty());
    }

    public static Identity staff(OrgCode org, String staffId) {
        return new Identity(IdentityKind.STAFF, Optional.of(org), Optional.of(staffId));
    }

    public static Identity archive() {
        return new Identity(IdentityKind.ARCHIVE, Optional.empty(), Optional.empty());
    }

    public static Identity exchange() {
        return new Identity(IdentityKind.EXCHANGE, Optional.empty(), Optional.empty());
    }

    public static Identity authority() {
        return new Identity(IdentityKind.AUTHORITY, Optional.empty(), Optional.empty());
    }

    /** True when {@code id} is a well-formed staff id. */
    public static boolean isValidStaffId(String id) {
        return id != null && STAFF_ID.matcher(id).matches();
    }

    /** The organization, or an exception for identities that have none. */
    public OrgCode requireOrganization() {
        return organization.orElseThrow(() -> new CryptoException(CryptoError.KEY_USAGE_INVALID,
                "a " + kind + " certificate does not belong to an organization"));
    }

    /** The URI written into the certificate; empty for an authority. */
    public Optional<String> uri() {
        return switch (kind) {
            case ORGANIZATION -> Optional.of(PREFIX + "org:" + organization.orElseThrow());
            case STAFF -> Optional.of(PREFIX + "staff:" + organization.orElseThrow() + ":" + staffId.orElseThrow());
            case ARCHIVE -> Optional.of(PREFIX + "archive");
            case EXCHANGE -> Optional.of(PREFIX + "exchange");
            case AUTHORITY -> Optional.empty();
        };
    }

    /** Parses a {@code urn:pouch:…} URI. */
    public static Identity fromUri(String uri) {
        if (uri == null || !uri.startsWith(PREFIX)) {
            throw new CryptoException(CryptoError.KEY_USAGE_INVALID, "not a Pouch identity URI");
        }
        String[] parts = uri.substring(PREFIX.length()).split(":", -1);
        try {
            return switch (parts[0]) {
                case "org" -> {
                    require(parts.length == 2);
                    yield organization(OrgCode.of(parts[1]));
                }
                case "staff" -> {
                    require(parts.length == 3);
                    yield staff(OrgCode.of(parts[1]), parts[2]);
                }
                case "archive" -> {
                    require(parts.length == 1);
                    yield archive();
                }
                case "exchange" -> {
                    require(parts.length == 1);
                    yield exchange();
                }
                default -> throw new CryptoException(CryptoError.KEY_USAGE_INVALID, "unknown identity kind");
            };
        } catch (CryptoException e) {
            throw new CryptoException(CryptoError.KEY_USAGE_INVALID, "malformed Pouch identity URI", e);
        }
    }

    /**
     * Reads the identity of a certificate: exactly one {@code urn:pouch:} URI in its subject
     * alternative names, or {@link IdentityKind#AUTHORITY} for a CA certificate without one.
     */
    public static Identity of(X509Certificate certificate) {
        List<String> uris = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (Integer.valueOf(SAN_URI).equals(name.get(0)) && name.get(1) instanceof String s
                            && s.startsWith(PREFIX)) {
                        uris.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new CryptoException(CryptoError.MALFORMED, "unreadable subject alternative names", e);
        }
        if (uris.isEmpty() && certificate.getBasicConstraints() >= 0) {
            return authority();
        }
        if (uris.size() != 1) {
            throw new CryptoException(CryptoError.KEY_USAGE_INVALID,
                    "a Pouch certificate carries exactly one Pouch identity, this one has " + uris.size());
        }
        return fromUri(uris.get(0));
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new CryptoException(CryptoError.KEY_USAGE_INVALID, "malformed Pouch identity URI");
        }
    }

    @Override
    public String toString() {
        return uri().orElse("authority");
    }
}
