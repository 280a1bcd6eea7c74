package dev.pouch.crypto.pki;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.testing.MutableClock;
import dev.pouch.crypto.testing.TestPki;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.pouch.crypto.testing.CryptoAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

class PkixCertificateValidatorTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T12:00:00Z");
    private final TestPki pki = TestPki.create(clock);

    private X509Certificate signing(String org) {
        return pki.org(org).signing().certificate();
    }

    @Test
    void organizationSigningCertificate_validatesWithItsIdentity() {
        ValidatedCertificate v = pki.validator().validate(signing("HQ-EUR"), CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now());
        assertThat(v.identity()).isEqualTo(Identity.organization(OrgCode.of("HQ-EUR")));
        assertThat(v.path()).endsWith(pki.root());
    }

    @Test
    void certificateFromAnotherAuthority_isUntrusted() {
        TestPki other = TestPki.create(clock, "Impostor Root");
        assertFailsWith(CryptoError.CERTIFICATE_UNTRUSTED, () -> pki.validator()
                .validate(other.org("HQ-EUR").signing().certificate(), CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now()));
    }

    @Test
    void expiredCertificate_isRefusedEvenAfterAnEarlierSuccessWasCached() {
        X509Certificate cert = signing("HQ-EUR");
        pki.validator().validate(cert, CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now());
        clock.set(cert.getNotAfter().toInstant().plusSeconds(1));
        pki.publishCrl();
        assertFailsWith(CryptoError.CERTIFICATE_EXPIRED,
                () -> pki.validator().validate(cert, CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now()));
    }

    @Test
    void expiredCertificate_isStillAcceptedAtATimeTheExchangeRecordedWithinItsValidity() {
        X509Certificate cert = signing("HQ-EUR");
        Instant recorded = clock.instant();
        clock.set(cert.getNotAfter().toInstant().plus(Duration.ofDays(30)));
        pki.publishCrl();
        assertThat(pki.validator().validate(cert, CertificateUsage.DOCUMENT_SIGNING,
                ValidationTime.recordedByExchange(recorded)).validatedAt()).isEqualTo(recorded);
    }

    @Test
    void certificateNotYetValid_isRefused() {
        X509Certificate cert = signing("HQ-EUR");
        assertFailsWith(CryptoError.CERTIFICATE_EXPIRED, () -> pki.validator().validate(cert,
                CertificateUsage.DOCUMENT_SIGNING, ValidationTime.recordedByExchange(cert.getNotBefore().toInstant().minusSeconds(1))));
    }

    @Test
    void revokedCertificate_isRefusedFromItsRevocationTime() {
        X509Certificate cert = signing("FR-EMB");
        Instant before = clock.instant();
        clock.advance(Duration.ofHours(1));
        pki.revoke(cert, clock.instant(), RevocationReason.SUPERSEDED);
        clock.advance(Duration.ofMinutes(1));

        assertFailsWith(CryptoError.CERTIFICATE_REVOKED,
                () -> pki.validator().validate(cert, CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now()));
        // Superseded is not compromise: what the exchange recorded before the revocation stands.
        assertThat(pki.validator().validate(cert, CertificateUsage.DOCUMENT_SIGNING,
                ValidationTime.recordedByExchange(before)).certificate()).isEqualTo(cert);
    }

    @Test
    void keyCompromise_refusesTheCertificateEvenBeforeTheRevocationTime() {
        X509Certificate cert = signing("DE-EMB");
        Instant before = clock.instant();
        clock.advance(Duration.ofHours(1));
        pki.revoke(cert, clock.instant(), RevocationReason.KEY_COMPROMISE);
        assertFailsWith(CryptoError.CERTIFICATE_REVOKED, () -> pki.validator().validate(cert,
                CertificateUsage.DOCUMENT_SIGNING, ValidationTime.recordedByExchange(before)));
    }

    @Test
    void withoutACurrentCrl_revocationStatusIsUnavailable() {
        X509Certificate cert = signing("HQ-EUR");
        clock.advance(Duration.ofDays(2)); // the test CRL is valid for one day
        assertFailsWith(CryptoError.REVOCATION_UNAVAILABLE,
                () -> pki.validator().validate(cert, CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now()));

        TrustStore empty = TrustStore.of(List.of(pki.root()));
        assertFailsWith(CryptoError.REVOCATION_UNAVAILABLE, () -> new PkixCertificateValidator(empty, clock)
                .validate(cert, CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now()));
    }

    @Test
    void deferringRevocation_acceptsAServerCertificateWithoutACrl_butNothingElseIsRelaxed() throws Exception {
        X509Certificate node = pki.authority().issue(CertificateProfile.EXCHANGE_TLS, Identity.exchange(), Duration.ofDays(30))
                .certificate();
        PkixCertificateValidator noCrl = new PkixCertificateValidator(TrustStore.of(List.of(pki.root())), clock);
        assertThat(noCrl.validateDeferringRevocation(List.of(node), CertificateUsage.TLS_SERVER, ValidationTime.now())
                .identity()).isEqualTo(Identity.exchange());
        // Strict validation still refuses until a CRL is installed.
        assertFailsWith(CryptoError.REVOCATION_UNAVAILABLE,
                () -> noCrl.validate(node, CertificateUsage.TLS_SERVER, ValidationTime.now()));
        // Chain, usage and validity are still checked.
        assertFailsWith(CryptoError.KEY_USAGE_INVALID, () -> noCrl.validateDeferringRevocation(List.of(signing("HQ-EUR")),
                CertificateUsage.TLS_SERVER, ValidationTime.now()));
        TestPki other = TestPki.create(clock, "Pouch Other Root");
        X509Certificate foreign = other.authority().issue(CertificateProfile.EXCHANGE_TLS, Identity.exchange(),
                Duration.ofDays(30)).certificate();
        assertFailsWith(CryptoError.CERTIFICATE_UNTRUSTED, () -> noCrl.validateDeferringRevocation(List.of(foreign),
                CertificateUsage.TLS_SERVER, ValidationTime.now()));
    }

    @Test
    void deferringRevocation_stillRefusesACertificateACurrentCrlRevokes() {
        X509Certificate node = pki.authority().issue(CertificateProfile.EXCHANGE_TLS, Identity.exchange(), Duration.ofDays(30))
                .certificate();
        clock.advance(Duration.ofMinutes(1));
        pki.revoke(node, clock.instant(), RevocationReason.KEY_COMPROMISE);
        assertFailsWith(CryptoError.CERTIFICATE_REVOKED, () -> pki.validator().validateDeferringRevocation(List.of(node),
                CertificateUsage.TLS_SERVER, ValidationTime.now()));
    }

    @Test
    void olderCrl_cannotReplaceANewerOne_soRevocationsCannotBeRolledBack() {
        X509Certificate cert = signing("IT-EMB");
        var old = pki.authority().issueCrl(0, List.of(), clock.instant().minusSeconds(60), clock.instant().plus(Duration.ofDays(1)));
        pki.revoke(cert, clock.instant(), RevocationReason.KEY_COMPROMISE);
        assertThat(pki.trustStore().update(old)).isFalse();
        assertFailsWith(CryptoError.CERTIFICATE_REVOKED,
                () -> pki.validator().validate(cert, CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now()));
    }

    @Test
    void crlSignedByAnotherAuthority_isNotInstalled() {
        TestPki other = TestPki.create(clock, "Pouch Test Root");
        var foreign = other.authority().issueCrl(99, List.of(), clock.instant(), clock.instant().plus(Duration.ofDays(1)));
        assertFailsWith(CryptoError.CERTIFICATE_UNTRUSTED, () -> pki.trustStore().update(foreign));
    }

    @Test
    void keyAgreementCertificate_cannotBeUsedToSign() {
        assertFailsWith(CryptoError.KEY_USAGE_INVALID, () -> pki.validator().validate(
                pki.org("HQ-EUR").keyAgreement().certificate(), CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now()));
    }

    @Test
    void staffTlsCertificate_cannotSignDocuments_butAuthenticatesAsStaff() {
        X509Certificate tls = pki.staff("FR-EMB", "marie.dupont").certificate();
        assertFailsWith(CryptoError.KEY_USAGE_INVALID,
                () -> pki.validator().validate(tls, CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now()));
        assertThat(pki.validator().validate(tls, CertificateUsage.TLS_CLIENT, ValidationTime.now()).identity())
                .isEqualTo(Identity.staff(OrgCode.of("FR-EMB"), "marie.dupont"));
    }

    @Test
    void signingCertificate_cannotAuthenticateATlsClient_norBeEncryptedTo() {
        assertFailsWith(CryptoError.KEY_USAGE_INVALID,
                () -> pki.validator().validate(signing("HQ-EUR"), CertificateUsage.TLS_CLIENT, ValidationTime.now()));
        assertFailsWith(CryptoError.KEY_USAGE_INVALID,
                () -> pki.validator().validate(signing("HQ-EUR"), CertificateUsage.KEY_AGREEMENT, ValidationTime.now()));
    }

    @Test
    void rootCertificate_isNotAnEndEntity() {
        assertFailsWith(CryptoError.KEY_USAGE_INVALID,
                () -> pki.validator().validate(pki.root(), CertificateUsage.DOCUMENT_SIGNING, ValidationTime.now()));
    }

    @Test
    void exchangeNodeCertificate_servesTlsWithLoopbackNames() throws Exception {
        KeyCredential node = pki.authority().issue(CertificateProfile.EXCHANGE_TLS, Identity.exchange(), Duration.ofDays(90));
        assertThat(pki.validator().validate(node.certificate(), CertificateUsage.TLS_SERVER, ValidationTime.now()).identity())
                .isEqualTo(Identity.exchange());
        assertThat(node.certificate().getSubjectAlternativeNames()).anySatisfy(n -> assertThat(n.get(1)).isEqualTo("127.0.0.1"));
    }

    @Test
    void profileRefusesAnIdentityItCannotName() {
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> pki.authority()
                .issue(CertificateProfile.ORGANIZATION_SIGNING, Identity.archive(), Duration.ofDays(1)));
    }
}
