package dev.pouch.client.cli;

import dev.pouch.client.ClientException;
import dev.pouch.client.ExchangeClient;
import dev.pouch.crypto.Password;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.Pem;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.pki.TrustStore;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Clock;

/**
 * What the offline commands ({@code seal}, {@code open}, {@code verify-receipt}) need instead of a
 * connection: credentials, and the exchange's CRL to check revocation — the copy the client keeps
 * from its last connection ({@code ~/.pouch/<ORG>/exchange-crl.pem}, or in an agent's folder) or a
 * file given.
 */
final class OfflineOptions {

    @Option(names = {"-c", "--credentials"}, paramLabel = "FILE", defaultValue = "${env:POUCH_CREDENTIALS}",
            description = "Your credentials (PKCS#12). Default: $POUCH_CREDENTIALS.")
    Path credentials;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the password. Default: $POUCH_PASSWORD, else a .password file beside the credentials.")
    Path passwordFile;

    @Option(names = "--crl", paramLabel = "FILE",
            description = "The exchange's CRL (PEM). Default: exchange-crl.pem kept by the client in ~/.pouch/<ORG>.")
    Path crl;

    Credentials read() {
        if (credentials == null) {
            throw new ClientException(ClientException.Kind.CREDENTIALS,
                    "no credentials given: use --credentials FILE.p12 or set POUCH_CREDENTIALS");
        }
        Password password = ClientOptions.password(credentials, passwordFile);
        return ExchangeClient.readCredentials(credentials, password);
    }

    /** A validator trusting the credentials' exchange root, with the CRL installed. */
    PkixCertificateValidator validator(Credentials c) {
        TrustStore trust = TrustStore.of(c.trustAnchors());
        Path file = crl != null ? crl : Path.of(System.getProperty("user.home"), ".pouch",
                Identity.of(c.require(CredentialRole.TLS).certificate()).requireOrganization().value(), "exchange-crl.pem");
        if (!Files.isReadable(file)) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "no CRL to check revocation with at " + file
                    + ": give --crl FILE (a client keeps exchange-crl.pem in its folder after connecting)");
        }
        try {
            X509CRL list = Pem.readCrl(Files.readString(file));
            if (!trust.update(list)) {
                throw new ClientException(ClientException.Kind.VERIFICATION, file + " is not a CRL of this exchange's authority");
            }
        } catch (dev.pouch.crypto.CryptoException e) {
            throw new ClientException(ClientException.Kind.VERIFICATION, file + " is not a CRL of this exchange's authority", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ClientException ce) {
                throw ce;
            }
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "cannot read the CRL " + file + ": " + e.getMessage(), e);
        }
        return new PkixCertificateValidator(trust, Clock.systemUTC());
    }
}
