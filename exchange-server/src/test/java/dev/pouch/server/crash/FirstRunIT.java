package dev.pouch.server.crash;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.pki.Pem;
import dev.pouch.server.testing.ServerProcess;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the README promises: the packaged server started with no configuration at all, in an empty
 * directory, comes up on loopback with the embedded PostgreSQL and Artemis under {@code ./data},
 * creates the exchange authority and demo credentials and says where they are; stopped and
 * started again, it finds everything where it left it.
 */
class FirstRunIT {

    private static final Pattern CREDENTIALS = Pattern.compile("Demo credentials for (\\S+) of (\\S+): (\\S+\\.p12) \\(password in (\\S+)\\)");

    @Test
    void the_jar_with_no_configuration_starts_on_embedded_defaults_and_says_where_the_demo_credentials_are() throws Exception {
        assumeTrue(free(7443) && free(8443), "the default ports 7443 and 8443 are taken on this machine");
        Path dir = TestServer.tempDir();
        Path log = dir.resolve("first-run.log");

        String first = run(dir, log);
        assertThat(first).contains("Exchange endpoint listening on 127.0.0.1:7443")
                .contains("Tomcat started on port 8443")
                .contains("First start: created the exchange root CA");
        Path data = dir.resolve("data");
        assertThat(data.resolve("postgres/PG_VERSION")).exists();
        assertThat(data.resolve("artemis/journal")).isDirectory();
        assertThat(data.resolve("pki/authority.p12")).exists();
        Matcher m = CREDENTIALS.matcher(first);
        List<String> staff = new ArrayList<>();
        while (m.find()) {
            staff.add(m.group(2) + "/" + m.group(1));
            assertThat(Path.of(m.group(3))).exists().startsWith(data.toAbsolutePath().normalize());
            assertThat(Path.of(m.group(4))).exists();
        }
        assertThat(staff).contains("HQ-EUR/wang.fang", "FR-EMB/marie.dupont", "DE-EMB/klaus.weber", "HQ-GO/admin");
        curlFilesWork(data);

        assertThat(first).contains("Pouch exchange ready: exchange protocol on 127.0.0.1:7443, REST and health on https://127.0.0.1:8443");

        String second = run(dir, log).substring(first.length());
        assertThat(second).contains("Started PouchServerApplication").doesNotContain("First start")
                .doesNotContain("Demo credentials for").doesNotContain("ERROR")
                .contains("demo HQ-EUR wang.fang").contains(data.toAbsolutePath().normalize().resolve("demo/HQ-EUR-wang.fang.p12").toString());
        assertThat(data.resolve("postgres/postmaster.pid")).doesNotExist(); // stopped with the server
        TestServer.deleteTree(dir);
    }

    /**
     * The PEM files for curl: the root certificate, and per demo staff member a TLS certificate
     * issued by it with the matching private key, encrypted under the staff member's password.
     */
    private static void curlFilesWork(Path data) throws Exception {
        X509Certificate root = Pem.readCertificates(Files.readString(data.resolve("pki/exchange-root.pem"))).getFirst();
        Path demo = data.resolve("demo");
        X509Certificate tls = Pem.readCertificates(Files.readString(demo.resolve("HQ-GO-admin-tls.crt"))).getFirst();
        tls.verify(root.getPublicKey());
        assertThat(tls.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2"); // clientAuth
        PrivateKey read = Pem.readPrivateKey(Files.readString(demo.resolve("HQ-GO-admin-tls.key")),
                Optional.of(Password.fromFile(demo.resolve("HQ-GO-admin.password"))));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(read.getEncoded())); // as the JDK's own
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(tls);
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).as("the key belongs to the certificate").isTrue();
        assertThat(Files.getPosixFilePermissions(demo.resolve("HQ-GO-admin-tls.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    /** Starts the jar in {@code dir} with no arguments, waits until it is up, stops it (SIGTERM); returns the whole log. */
    private static String run(Path dir, Path log) throws Exception {
        List<String> command = ServerProcess.java();
        command.addAll(List.of("-Xmx512m", "-jar", ServerProcess.jar().toString()));
        int before = read(log).length();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!read(log).substring(before).contains("Pouch exchange ready")) {
                assertThat(p.isAlive()).as(read(log)).isTrue();
                assertThat(System.nanoTime()).as("started within 3 minutes").isLessThan(deadline);
                Thread.sleep(200);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        return read(log);
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
