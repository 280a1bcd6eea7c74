package dev.pouch.crypto.pki;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;

import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one credential file holds: keys by role, and the authorities to trust.
 *
 * <p>Security guarantees: prints only certificate subjects; keys stay inside their
 * {@link KeyCredential}.
 */
public record Credentials(Map<CredentialRole, KeyCredential> keys, List<X509Certificate> trustAnchors) {

    public Credentials {
        keys = keys.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(keys));
        trustAnchors = List.copyOf(trustAnchors);
    }

    /** The key for {@code role}, or {@code INVALID_REQUEST} naming what is missing. */
    public KeyCredential require(CredentialRole role) {
        return find(role).orElseThrow(() -> new CryptoException(CryptoError.INVALID_REQUEST,
                "these credentials hold no " + role.alias() + " key"));
    }

    public Optional<KeyCredential> find(CredentialRole role) {
        return Optional.ofNullable(keys.get(role));
    }
}
