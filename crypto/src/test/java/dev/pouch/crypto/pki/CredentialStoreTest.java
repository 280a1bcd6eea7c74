package dev.pouch.crypto.pki;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.Password;
import dev.pouch.crypto.testing.Openssl;
import dev.pouch.crypto.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pouch.crypto.testing.CryptoAssertions.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

class CredentialStoreTest {

    private static final TestPki PKI = TestPki.create();
    private static final Password PASSWORD = Password.of("correct horse battery staple");

    @TempDir
    Path dir;

    private Credentials staffCredentials() {
        return new Credentials(Map.of(
                CredentialRole.TLS, PKI.staff("FR-EMB", "marie.dupont"),
                CredentialRole.SIGNING, PKI.org("FR-EMB").signing(),
                CredentialRole.KEY_AGREEMENT, PKI.org("FR-EMB").keyAgreement()),
                List.of(PKI.root()));
    }

    @Test
    void credentials_roundTripThroughPkcs12_withOwnerOnlyPermissions() throws Exception {
        Path file = dir.resolve("marie.p12");
        Credentials written = staffCredentials();
        CredentialStore.write(file, written, PASSWORD);

        Credentials read = CredentialStore.read(file, PASSWORD);
        assertThat(read.keys()).isEqualTo(written.keys());
        assertThat(read.trustAnchors()).containsExactly(PKI.root());
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(dir.toFile().list()).containsExactly("marie.p12");
    }

    @Test
    void wrongPassword_isCredentialsUnreadable() {
        Path file = dir.resolve("marie.p12");
        CredentialStore.write(file, staffCredentials(), PASSWORD);
        assertFailsWith(CryptoError.CREDENTIALS_UNREADABLE, () -> CredentialStore.read(file, Password.of("wrong")));
    }

    @Test
    void missingOrDamagedFile_isCredentialsUnreadable() throws Exception {
        assertFailsWith(CryptoError.CREDENTIALS_UNREADABLE, () -> CredentialStore.read(dir.resolve("none.p12"), PASSWORD));
        Path junk = Files.write(dir.resolve("junk.p12"), new byte[] {0x30, 0x03, 0x02, 0x01});
        assertFailsWith(CryptoError.CREDENTIALS_UNREADABLE, () -> CredentialStore.read(junk, PASSWORD));
    }

    @Test
    void missingRole_isNamedInTheError() {
        Credentials only = new Credentials(Map.of(CredentialRole.TLS, PKI.staff("FR-EMB", "a")), List.of());
        assertThat(assertFailsWith(CryptoError.INVALID_REQUEST, () -> only.require(CredentialRole.SIGNING)))
                .hasMessageContaining("signing");
    }

    @Test
    void pkcs12_usesPbes2WithAes256AndPbkdf2HmacSha256_asOpensslReportsIt() throws Exception {
        Openssl.assumeAvailable();
        Path file = dir.resolve("marie.p12");
        CredentialStore.write(file, staffCredentials(), PASSWORD);
        var info = Openssl.run(dir, "pkcs12", "-info", "-noout", "-in", "marie.p12", "-passin", "pass:correct horse battery staple");
        assertThat(info.exitCode()).as(info.output()).isZero();
        assertThat(info.output())
                .contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration " + CredentialStore.KEY_ITERATIONS + ", PRF hmacWithSHA256")
                .contains("MAC: sha256");
    }

    @Test
    void pemExports_areReadByOpensslAndByUs() throws Exception {
        Openssl.assumeAvailable();
        KeyCredential key = PKI.org("FR-EMB").keyAgreement();
        Files.writeString(dir.resolve("cert.pem"), Pem.certificate(key.certificate()));
        Files.writeString(dir.resolve("key.pem"), Pem.privateKey(key.privateKey()));
        Files.writeString(dir.resolve("enc.pem"), Pem.encryptedPrivateKey(key.privateKey(), PASSWORD));

        assertThat(Openssl.run(dir, "x509", "-in", "cert.pem", "-noout").exitCode()).isZero();
        assertThat(Openssl.run(dir, "pkey", "-in", "key.pem", "-noout").exitCode()).isZero();
        var enc = Openssl.run(dir, "pkey", "-in", "enc.pem", "-passin", "pass:correct horse battery staple", "-noout");
        assertThat(enc.exitCode()).as(enc.output()).isZero();

        assertThat(Pem.readCertificates(Files.readString(dir.resolve("cert.pem")))).containsExactly(key.certificate());
        var decrypted = Pem.readPrivateKey(Files.readString(dir.resolve("enc.pem")), Optional.of(PASSWORD));
        assertThat(KeyCredential.of(decrypted, key.chain())).isEqualTo(key);
        assertFailsWith(CryptoError.CREDENTIALS_UNREADABLE,
                () -> Pem.readPrivateKey(Files.readString(dir.resolve("enc.pem")), Optional.of(Password.of("nope"))));
    }

    @Test
    void secrets_neverPrintThemselves() {
        assertThat(PASSWORD.toString()).isEqualTo("[REDACTED]");
        assertThat(PKI.org("FR-EMB").signing().toString()).contains("[REDACTED]").contains("FR-EMB");
        assertThat(Password.of("abc")).isEqualTo(Password.of("abc")).isNotEqualTo(Password.of("abd"));
    }

    @Test
    void keyThatDoesNotMatchItsCertificate_isRefused() {
        assertFailsWith(CryptoError.INVALID_REQUEST, () -> KeyCredential.of(
                PKI.org("FR-EMB").signing().privateKey(), PKI.org("DE-EMB").signing().chain()));
    }
}
