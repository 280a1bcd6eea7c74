package dev.pouch.client.cli;

import dev.pouch.client.ClientException;
import dev.pouch.client.MediaTypes;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.Pem;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.seal.CmsSealer;
import dev.pouch.crypto.seal.SealedParts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code pouch seal}: seals files offline, for recipient certificates given as files. */
@Command(name = "seal", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Seal files offline, with no exchange: signed with your organization's key and encrypted to the",
                "key-agreement certificates given (PEM). The recipients are the organizations those certificates name.",
                "Above 16 MiB the document is sealed as parts, written beside OUT as OUT-base.part-N.p7m."})
final class SealCommand implements Callable<Integer> {

    @Mixin
    OfflineOptions offline;

    @Mixin
    Output out;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The files to seal, in order.")
    List<Path> files;

    @Option(names = "--to", required = true, arity = "1..*", paramLabel = "CERT",
            description = "Each recipient organization's key-agreement certificate (PEM).")
    List<Path> to;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The sealed file to write (e.g. document.p7m).")
    Path output;

    @Option(names = {"-n", "--number"}, required = true, description = "The document number (文号).")
    String number;

    @Option(names = "--subject", required = true, description = "The subject.")
    String subject;

    @Option(names = "--type", defaultValue = "NOTICE", description = "Default ${DEFAULT-VALUE}.")
    DocumentType type;

    @Option(names = "--classification", defaultValue = "INTERNAL", description = "Default ${DEFAULT-VALUE}.")
    Classification classification;

    @Option(names = "--precedence", defaultValue = "ROUTINE", description = "Default ${DEFAULT-VALUE}.")
    Precedence precedence;

    @Override
    public Integer call() throws IOException {
        Credentials c = offline.read();
        PkixCertificateValidator validator = offline.validator(c);
        List<X509Certificate> recipients = new ArrayList<>();
        List<OrgCode> orgs = new ArrayList<>();
        for (Path p : to) {
            X509Certificate cert = readCertificate(p);
            recipients.add(cert);
            orgs.add(Identity.of(cert).organization().orElseThrow(() -> new ClientException(ClientException.Kind.INVALID_INPUT,
                    p + " is not an organization's certificate")));
        }
        List<Attachment> attachments = new ArrayList<>();
        long total = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, "no readable file at " + f);
            }
            attachments.add(new Attachment(f.getFileName().toString(), MediaTypes.of(f), Files.size(f)));
            total += Files.size(f);
        }
        if (Files.exists(output)) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, output + " exists already; choose another name");
        }
        DocumentHeader header;
        try {
            header = DocumentHeader.builder().documentId(UUID.randomUUID()).documentNumber(number).type(type).subject(subject)
                    .sender(Identity.of(c.require(CredentialRole.SIGNING).certificate()).requireOrganization())
                    .actionRecipients(orgs).precedence(precedence).classification(classification).attachments(attachments).build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, e.getMessage(), e);
        }
        CmsSealer sealer = CmsSealer.builder().signer(c.require(CredentialRole.SIGNING)).validator(validator).build();
        List<Path> written = new ArrayList<>();
        Path work = Files.createTempDirectory("pouch-seal");
        try {
            Path content = work.resolve("content");
            try (OutputStream o = Files.newOutputStream(content)) {
                for (Path f : files) {
                    Files.copy(f, o);
                }
            }
            if (total <= CmsSealer.DEFAULT_INLINE_LIMIT) {
                Files.write(output, sealer.seal(header, Files.readAllBytes(content), recipients).encoded());
                written.add(output);
            } else {
                SealedParts sealed = sealer.sealParts(header, content, recipients, work);
                Files.write(output, sealed.main().encoded());
                written.add(output);
                for (int i = 0; i < sealed.partFiles().size(); i++) {
                    written.add(Files.copy(sealed.partFiles().get(i), OpenCommand.partFile(output, i)));
                }
            }
        } catch (CryptoException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, dev.pouch.protocol.ErrorCode.of(e.error()),
                    "cannot seal: " + e.getMessage(), e);
        } finally {
            dev.pouch.client.LocalStore.deleteTree(work);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", true);
        r.put("id", header.documentId().toString());
        r.put("recipients", orgs.stream().map(OrgCode::value).toList());
        r.put("files", written.stream().map(Path::toString).toList());
        out.result(r, () -> {
            out.out().println("Sealed " + number + " (" + header.documentId() + ") for "
                    + String.join(", ", orgs.stream().map(OrgCode::value).toList()));
            written.forEach(p -> out.out().println("  " + p));
        });
        return 0;
    }

    private static X509Certificate readCertificate(Path p) {
        try {
            List<X509Certificate> certs = Pem.readCertificates(Files.readString(p));
            if (certs.isEmpty()) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, p + " holds no certificate");
            }
            return certs.getFirst();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ClientException ce) {
                throw ce;
            }
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "cannot read a certificate from " + p + ": " + e.getMessage(), e);
        }
    }
}
