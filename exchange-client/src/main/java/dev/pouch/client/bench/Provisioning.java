package dev.pouch.client.bench;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.CredentialStore;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.pki.TrustStore;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.DirectoryQuery;
import dev.pouch.protocol.message.DirectoryReply;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.stream.MemoryStreamStore;
import dev.pouch.protocol.stream.StreamStore;
import dev.pouch.protocol.transport.ExchangeConnection;
import dev.pouch.protocol.transport.ExchangeHandler;
import dev.pouch.protocol.transport.Limits;
import dev.pouch.protocol.transport.Session;
import dev.pouch.protocol.transport.TlsEngine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Credentials for the organizations the bench acts as. Each gets a staff member {@code bench}
 * (drafter, releaser, reader) with a TLS certificate issued through the administration API for a
 * key generated here; the organization's signing and key-agreement keys come either from the
 * demo export of all organizations' keys ({@code organization-keys.p12}) or — on a server started
 * for the run — are generated here and certified through the API, which makes them the
 * organization's current keys (what senders seal to).
 */
final class Provisioning {

    static final String STAFF_ID = "bench";
    private static final List<String> ROLES = List.of("DRAFTER", "RELEASER", "READER");

    private final AdminApi api;
    private final X509Certificate root;
    private final Optional<Map<String, KeyCredential>> organizationKeys;

    /** With {@code organizationKeys} empty, the organizations' keys are generated and certified (re-keying them). */
    Provisioning(AdminApi api, X509Certificate root, Optional<Map<String, KeyCredential>> organizationKeys) {
        this.api = api;
        this.root = root;
        this.organizationKeys = organizationKeys;
    }

    /** The organizations a run acts as, with credentials for each. */
    record Organizations(List<String> offices, List<String> senders, Map<String, Credentials> credentials, double seconds) {
    }

    /**
     * Picks the first {@code offices} offices and {@code senders} HQ departments of the exchange's
     * directory and provisions them: with {@code keysFile}, taking the organizations' keys from
     * that demo export; without, enrolling new ones.
     */
    static Organizations prepare(AdminApi api, Credentials admin, String host, int port, int offices, int senders,
            Optional<Path> keysFile, PrintWriter log) {
        List<DirectoryReply.Entry> directory = directory(admin, host, port, Duration.ofMinutes(1));
        List<String> officeCodes = directory.stream().filter(e -> !e.kind().equals("HQ_DEPARTMENT")).map(DirectoryReply.Entry::code)
                .limit(offices).toList();
        List<String> senderCodes = directory.stream().filter(e -> e.kind().equals("HQ_DEPARTMENT")).map(DirectoryReply.Entry::code)
                .limit(senders).toList();
        if (officeCodes.size() < offices || senderCodes.size() < senders) {
            throw new IllegalArgumentException("the exchange has " + officeCodes.size() + " offices and " + senderCodes.size()
                    + " HQ departments only");
        }
        Optional<Map<String, KeyCredential>> keys = keysFile.map(file -> {
            log.println("pouch bench: reading every organization's keys from " + file + " (slow: each key is PBKDF2-protected)");
            log.flush();
            return CredentialStore.readEntries(file, Password.fromFile(passwordFile(file)));
        });
        List<String> all = new ArrayList<>(officeCodes);
        all.addAll(senderCodes);
        log.printf("pouch bench: provisioning %d organizations (a staff member '%s' each%s)%n", all.size(), STAFF_ID,
                keys.isEmpty() ? ", and new organization keys" : "");
        log.flush();
        long t0 = System.nanoTime();
        Map<String, Credentials> credentials = new Provisioning(api, admin.trustAnchors().getFirst(), keys).credentials(all, 4, n -> {
            if (n % 50 == 0) {
                log.printf("pouch bench: %d of %d provisioned%n", n, all.size());
                log.flush();
            }
        });
        return new Organizations(officeCodes, senderCodes, credentials, (System.nanoTime() - t0) / 1e9);
    }

    /** The password file beside a credentials file: {@code x.p12} → {@code x.password}. */
    static Path passwordFile(Path p12) {
        String name = p12.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return p12.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".password");
    }

    /** Credentials for each organization, a few at a time; {@code progress} is told how many are done. */
    Map<String, Credentials> credentials(List<String> organizations, int parallelism, IntConsumer progress) {
        Map<String, Credentials> out = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (String org : organizations) {
                work.add(pool.submit(() -> {
                    out.put(org, credentials(org));
                    progress.accept(out.size());
                }));
            }
            for (Future<?> f : work) {
                f.get(5, TimeUnit.MINUTES);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot provision the bench's organizations: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
            throw new IllegalStateException("provisioning did not finish", e);
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private Credentials credentials(String org) {
        api.saveStaff(org, STAFF_ID, "Load generator", ROLES);
        KeyPair tls = ecKeyPair();
        KeyCredential tlsKey = KeyCredential.of(tls.getPrivate(), api.certifyStaff(org, STAFF_ID, tls.getPublic()));
        KeyCredential signing;
        KeyCredential keyAgreement;
        if (organizationKeys.isPresent()) {
            signing = require(organizationKeys.get(), org + ".signing");
            keyAgreement = require(organizationKeys.get(), org + ".key-agreement");
        } else {
            KeyPair s = ecKeyPair();
            KeyPair k = ecKeyPair();
            signing = KeyCredential.of(s.getPrivate(), api.certifyOrganization(org, "SIGNING", s.getPublic()));
            keyAgreement = KeyCredential.of(k.getPrivate(), api.certifyOrganization(org, "KEY_AGREEMENT", k.getPublic()));
        }
        return new Credentials(Map.of(CredentialRole.TLS, tlsKey, CredentialRole.SIGNING, signing,
                CredentialRole.KEY_AGREEMENT, keyAgreement), List.of(root));
    }

    private static KeyCredential require(Map<String, KeyCredential> keys, String alias) {
        KeyCredential k = keys.get(alias);
        if (k == null) {
            throw new IllegalStateException("the organization keys file holds no " + alias);
        }
        return k;
    }

    /** P-256, the exchange's only curve. */
    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every organization of the exchange's directory, asked over the exchange protocol as {@code staff}. */
    static List<DirectoryReply.Entry> directory(Credentials staff, String host, int port, Duration timeout) {
        PkixCertificateValidator validator = new PkixCertificateValidator(TrustStore.of(staff.trustAnchors()), Clock.systemUTC());
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        ExchangeHandler handler = new ExchangeHandler() {
            private final StreamStore streams = new MemoryStreamStore(1 << 20);

            @Override
            public StreamStore streamStore() {
                return streams;
            }

            @Override
            public void handle(Session session, Framed request) {
                session.replyFailure(request, new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "the bench's directory reader takes nothing"));
            }
        };
        ExchangeConnection connection = ExchangeConnection.open(new ExchangeConnection.Config(host, port,
                staff.require(CredentialRole.TLS), validator, Limits.defaults(), handler, blocking, null, "pouch-bench/0.1",
                Duration.ofMillis(200), Duration.ofSeconds(5), TlsEngine.AUTO, false));
        try {
            connection.awaitSession(timeout);
            DirectoryReply reply = (DirectoryReply) connection.request(new DirectoryQuery(List.of(), List.of(), true))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return reply.entries();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the exchange did not answer the directory query: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
            throw new IllegalStateException("no directory from the exchange within " + timeout, e);
        } finally {
            connection.close();
            blocking.shutdown();
        }
    }
}
