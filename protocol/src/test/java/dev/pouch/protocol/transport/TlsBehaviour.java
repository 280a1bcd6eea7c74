package dev.pouch.protocol.transport;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.pki.RevocationReason;
import dev.pouch.crypto.pki.TrustStore;
import dev.pouch.crypto.testing.TestPki;
import dev.pouch.protocol.message.Submit;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.protocol.stream.StreamSource;
import dev.pouch.protocol.testing.RawTls;
import dev.pouch.protocol.testing.TestExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mutual TLS 1.3 on loopback: who is refused at the handshake, and that a valid client gets
 * through. Run once per {@link TlsEngine} ({@code JdkTlsIT}, {@code OpenSslTlsIT}).
 */
abstract class TlsBehaviour {

    private static final TestPki PKI = TestPki.create();
    private TestExchange exchange;

    abstract TlsEngine engine();

    @BeforeEach
    void start() {
        exchange = new TestExchange(PKI, Limits.defaults(), engine());
    }

    @AfterEach
    void stop() {
        exchange.close();
    }

    private static KeyCredential staff(String id) {
        return PKI.staff("FR-EMB", id);
    }

    @Test
    void validStaffCertificate_completesAStreamedTransferAndASubmit() throws Exception {
        try (ExchangeConnection client = exchange.connect(staff("marie.dupont"), Limits.defaults())) {
            Session session = client.awaitSession(Duration.ofSeconds(10));
            assertThat(session.peer().kind()).isEqualTo(dev.pouch.crypto.pki.IdentityKind.EXCHANGE);
            byte[] sealed = new byte[700_000];
            new java.util.Random(7).nextBytes(sealed);
            UUID id = UUID.randomUUID();
            client.sendStream(id + "/main", StreamSource.of(sealed)).get(30, TimeUnit.SECONDS);
            var ack = client.request(new Submit(id, id + "/main", List.of())).get(10, TimeUnit.SECONDS);
            assertThat(ack).isInstanceOfSatisfying(SubmitAck.class, a -> assertThat(a.documentId()).isEqualTo(id));
            assertThat(exchange.store().completed(Identity.staff(OrgCode.of("FR-EMB"), "marie.dupont"), id + "/main"))
                    .hasValue(sealed);
        }
    }

    @Test
    void rawTlsClientWithAValidStaffCertificate_getsThrough_soTheRefusalsBelowAreAboutOneThingEach() throws Exception {
        try (var socket = RawTls.handshake(exchange.port(), "TLSv1.3", staff("control"))) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void tls12OnlyClient_isRefusedAtTheHandshake() {
        assertThatThrownBy(() -> RawTls.handshake(exchange.port(), "TLSv1.2", staff("old.client")))
                .isInstanceOf(javax.net.ssl.SSLException.class);
    }

    @Test
    void clientWithoutCertificate_isRefusedAtTheHandshake() {
        assertThatThrownBy(() -> RawTls.handshake(exchange.port(), "TLSv1.3", null)).isInstanceOfAny(
                javax.net.ssl.SSLException.class, java.net.SocketException.class, java.io.IOException.class);
    }

    @Test
    void certificateFromAnotherAuthority_isRefusedAtTheHandshake() {
        TestPki impostor = TestPki.create(java.time.Clock.systemUTC(), "Pouch Test Root");
        assertThatThrownBy(() -> RawTls.handshake(exchange.port(), "TLSv1.3", impostor.staff("FR-EMB", "mallory")))
                .isInstanceOfAny(javax.net.ssl.SSLException.class, java.net.SocketException.class, java.io.IOException.class);
    }

    @Test
    void revokedCertificate_isRefusedAtTheNextHandshake() throws Exception {
        KeyCredential leaving = staff("leaving.soon");
        try (ExchangeConnection before = exchange.connect(leaving, Limits.defaults())) {
            before.awaitSession(Duration.ofSeconds(10));
        }
        PKI.revoke(leaving.certificate(), Instant.now(), RevocationReason.AFFILIATION_CHANGED);
        assertThatThrownBy(() -> RawTls.handshake(exchange.port(), "TLSv1.3", leaving))
                .isInstanceOfAny(javax.net.ssl.SSLException.class, java.net.SocketException.class, java.io.IOException.class);
    }

    @Test
    void signingCertificateUsedAsTlsClientCertificate_isRefused() {
        KeyCredential signing = PKI.org("FR-EMB").signing();
        assertThatThrownBy(() -> RawTls.handshake(exchange.port(), "TLSv1.3", signing))
                .isInstanceOfAny(javax.net.ssl.SSLException.class, java.net.SocketException.class, java.io.IOException.class);
    }

    @Test
    void aClientWithoutACurrentCrl_learnsItFromTheWelcome_andConnects() {
        PkixCertificateValidator fresh = new PkixCertificateValidator(TrustStore.of(List.of(PKI.root())), Clock.systemUTC());
        try (ExchangeConnection client = exchange.connect(staff("back.from.leave"), Limits.defaults(), fresh)) {
            assertThat(client.awaitSession(Duration.ofSeconds(10)).isEstablished()).isTrue();
        }
        assertThat(fresh.trustStore().crlFor(PKI.root().getSubjectX500Principal())).isPresent();
    }

    @Test
    void anExchangeWhoseCertificateIsRevoked_isRefusedOnceItsOwnWelcomeBringsTheCrl() {
        PKI.revoke(exchange.nodeCertificate(), Instant.now().minusSeconds(1), RevocationReason.KEY_COMPROMISE);
        PkixCertificateValidator fresh = new PkixCertificateValidator(TrustStore.of(List.of(PKI.root())), Clock.systemUTC());
        try (ExchangeConnection client = exchange.connect(staff("careful"), Limits.defaults(), fresh)) {
            assertThatThrownBy(() -> client.awaitSession(Duration.ofSeconds(3)))
                    .hasMessageContaining("not trusted").hasMessageContaining("revoked");
        }
    }

    @Test
    void aNodeCertificateFromTheExchange_isAlsoAClient() throws Exception {
        KeyCredential node = PKI.authority().issue(CertificateProfile.EXCHANGE_TLS, Identity.exchange(), Duration.ofDays(1));
        try (ExchangeConnection client = exchange.connect(node, Limits.defaults())) {
            assertThat(client.awaitSession(Duration.ofSeconds(10)).isEstablished()).isTrue();
        }
    }
}
