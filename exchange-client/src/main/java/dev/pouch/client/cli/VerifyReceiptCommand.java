package dev.pouch.client.cli;

import dev.pouch.client.ClientException;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.receipt.EssReceipts;
import dev.pouch.crypto.receipt.VerifiedReceipt;
import dev.pouch.crypto.seal.CmsOpener;
import dev.pouch.crypto.seal.OpenedDocument;
import dev.pouch.protocol.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code pouch verify-receipt RECEIPT ORIGINAL}: checks a signed receipt against the document it acknowledges. */
@Command(name = "verify-receipt", mixinStandardHelpOptions = true,
        description = {"Verify a signed receipt (RFC 2634) against the sealed original it acknowledges, offline: the receipt's",
                "signature and signer chain, that it names this document and its signature, and that its signer is one of",
                "the document's signed recipients. The original must open with the credentials given (a recipient's)."})
final class VerifyReceiptCommand implements Callable<Integer> {

    @Mixin
    OfflineOptions offline;

    @Mixin
    Output out;

    @Parameters(index = "0", paramLabel = "RECEIPT", description = "The receipt (receipt.p7m).")
    Path receipt;

    @Parameters(index = "1", paramLabel = "ORIGINAL", description = "The sealed original (document.p7m).")
    Path original;

    @Override
    public Integer call() throws IOException {
        Credentials c = offline.read();
        PkixCertificateValidator validator = offline.validator(c);
        for (Path p : new Path[] {receipt, original}) {
            if (!Files.isRegularFile(p)) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, "no file at " + p);
            }
        }
        OpenedDocument opened = OpenCommand.open(CmsOpener.builder().recipient(c.require(CredentialRole.KEY_AGREEMENT))
                .validator(validator).build(), original);
        VerifiedReceipt v;
        try {
            v = EssReceipts.verifier(validator).verify(Files.readAllBytes(receipt), opened.originalSignature(), ValidationTime.now());
        } catch (CryptoException e) {
            throw new ClientException(ClientException.Kind.VERIFICATION, ErrorCode.of(e.error()), "the receipt does not verify: "
                    + e.getMessage(), e);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", true);
        r.put("documentId", v.documentId().toString());
        r.put("number", opened.header().documentNumber());
        r.put("recipient", v.recipient().value());
        r.put("signer", v.signer().certificate().getSubjectX500Principal().getName());
        r.put("signedAt", v.claimedSigningTime());
        out.result(r, () -> out.out().println("Receipt verified: " + v.recipient().value() + " received "
                + opened.header().documentNumber() + " (" + v.documentId() + "); signed by "
                + v.signer().certificate().getSubjectX500Principal().getName() + ", at " + v.claimedSigningTime() + " (as it claims)."));
        return 0;
    }
}
