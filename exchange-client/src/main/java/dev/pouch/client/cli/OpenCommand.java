package dev.pouch.client.cli;

import dev.pouch.client.ClientException;
import dev.pouch.client.LocalStore;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.crypto.seal.CmsOpener;
import dev.pouch.crypto.seal.OpenedDocument;
import dev.pouch.protocol.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code pouch open}: opens and verifies a sealed file offline. */
@Command(name = "open", mixinStandardHelpOptions = true,
        description = {"Open a sealed file offline and verify it: signature, the signer's certificate chain and revocation,",
                "that your organization is among the signed recipients; for a document in parts, each part against the",
                "signed manifest (parts are looked for beside it as BASE.part-N.p7m or parts/part-N.p7m)."})
final class OpenCommand implements Callable<Integer> {

    @Mixin
    OfflineOptions offline;

    @Mixin
    Output out;

    @Parameters(paramLabel = "FILE", description = "The sealed document (e.g. document.p7m).")
    Path file;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Where to write the opened files.")
    Path output;

    @Override
    public Integer call() throws IOException {
        Credentials c = offline.read();
        CmsOpener opener = CmsOpener.builder().recipient(c.require(CredentialRole.KEY_AGREEMENT)).validator(offline.validator(c)).build();
        if (!Files.isRegularFile(file)) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "no sealed file at " + file);
        }
        OpenedDocument opened = open(opener, file);
        List<String> names = LocalStore.attachmentNames(opened.header());
        for (String n : names) {
            if (Files.exists(output.resolve(n))) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, output + " already holds " + n + "; open into an empty folder");
            }
        }
        Files.createDirectories(output);
        Path content = Files.createTempFile(output, ".content", ".tmp");
        try {
            if (opened.isParted()) {
                int count = opened.manifest().orElseThrow().parts().size();
                List<Path> parts = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    Path beside = partFile(file, i);
                    Path inFolder = file.resolveSibling("parts").resolve("part-" + i + ".p7m");
                    Path part = Files.isRegularFile(beside) ? beside : inFolder;
                    if (!Files.isRegularFile(part)) {
                        throw new ClientException(ClientException.Kind.INVALID_INPUT, "the document has " + count
                                + " parts but " + beside.getFileName() + " is missing");
                    }
                    parts.add(part);
                }
                opener.openParts(opened, parts, content);
            } else {
                Files.write(content, opened.contentBytes());
            }
            LocalStore.splitAttachments(opened.header(), content, output, names);
        } catch (CryptoException e) {
            throw new ClientException(ClientException.Kind.VERIFICATION, ErrorCode.of(e.error()), "a part does not verify: "
                    + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(content);
        }
        FetchCommand.report(out, opened.header(), opened.signer().certificate().getSubjectX500Principal().getName(),
                names.stream().map(output::resolve).toList(), null);
        return 0;
    }

    static OpenedDocument open(CmsOpener opener, Path file) throws IOException {
        try {
            return opener.open(Files.readAllBytes(file), ValidationTime.now());
        } catch (CryptoException e) {
            throw new ClientException(ClientException.Kind.VERIFICATION, ErrorCode.of(e.error()), file.getFileName()
                    + " does not open or verify: " + e.getMessage(), e);
        }
    }

    /** Where part {@code index} of a sealed file is kept beside it: {@code document.part-0.p7m} for {@code document.p7m}. */
    static Path partFile(Path sealed, int index) {
        String name = sealed.getFileName().toString();
        String base = name.endsWith(".p7m") ? name.substring(0, name.length() - 4) : name;
        return sealed.resolveSibling(base + ".part-" + index + ".p7m");
    }
}
