package dev.pouch.client.cli;

import dev.pouch.client.ClientException;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code pouch credentials}: what a credentials file holds; optionally its certificates and keys as PEM, for OpenSSL. */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        description = {"Show what a credentials file holds: each key's certificate, identity and validity.",
                "With --export DIR, also write the certificates and the exchange root as PEM, and with --keys the private",
                "keys too (unencrypted, readable by you only), for checking documents with openssl cms."})
final class CredentialsCommand implements Callable<Integer> {

    @Mixin
    OfflineOptions offline;

    @Mixin
    Output out;

    @Option(names = "--export", paramLabel = "DIR", description = "Write <role>.crt (and with --keys <role>.key) and exchange-root.pem here.")
    Path export;

    @Option(names = "--keys", description = "With --export: the private keys as well, unencrypted (handle with care).")
    boolean keys;

    @Override
    public Integer call() throws IOException {
        Credentials c = offline.read();
        List<Map<String, Object>> entries = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        if (export != null) {
            Files.createDirectories(export);
            written.add(Files.writeString(export.resolve("exchange-root.pem"), Pem.certificates(c.trustAnchors())));
        }
        for (CredentialRole role : CredentialRole.values()) {
            KeyCredential k = c.find(role).orElse(null);
            if (k == null) {
                continue;
            }
            String name = role.name().toLowerCase().replace('_', '-');
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("role", name);
            e.put("identity", Identity.of(k.certificate()).toString());
            e.put("subject", k.certificate().getSubjectX500Principal().getName());
            e.put("notAfter", k.certificate().getNotAfter().toInstant());
            entries.add(e);
            if (export != null) {
                written.add(Files.writeString(export.resolve(name + ".crt"), Pem.certificate(k.certificate())));
                if (keys) {
                    Path key = export.resolve(name + ".key");
                    if (Files.exists(key)) {
                        throw new ClientException(ClientException.Kind.INVALID_INPUT, key + " exists already");
                    }
                    Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    written.add(Files.writeString(key, Pem.privateKey(k.privateKey())));
                }
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", true);
        r.put("keys", entries);
        r.put("written", written.stream().map(Path::toString).toList());
        out.result(r, () -> {
            out.table(List.of("ROLE", "IDENTITY", "VALID UNTIL"), entries.stream()
                    .map(e -> List.of((String) e.get("role"), (String) e.get("identity"), e.get("notAfter").toString())).toList());
            written.forEach(p -> out.out().println("wrote " + p));
        });
        return 0;
    }
}
