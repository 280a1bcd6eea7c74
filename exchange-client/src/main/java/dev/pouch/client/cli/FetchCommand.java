package dev.pouch.client.cli;

import dev.pouch.client.ExchangeClient;
import dev.pouch.crypto.document.OrgCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code pouch fetch ID -o DIR}: a document from the exchange, opened and verified, with its sealed original. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Fetch a document from the exchange, open it and verify it (signature, certificate chain and revocation,",
                "that your organization is a signed recipient), and write its files into DIR with the sealed original",
                "beside them (document.p7m) as evidence."})
final class FetchCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Mixin
    Output out;

    @Parameters(paramLabel = "ID", description = "The document id.")
    UUID id;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Where to write the files (created if missing).")
    Path output;

    @Option(names = "--store", paramLabel = "DIR", hidden = true)
    Path store;

    @Override
    public Integer call() {
        ExchangeClient.Fetched f;
        try (ExchangeClient c = client.connect(store)) {
            f = c.fetch(id, output);
        }
        report(out, f.header(), f.signer(), f.files(), f.sealed());
        return 0;
    }

    static void report(Output out, dev.pouch.crypto.document.DocumentHeader h, String signer, java.util.List<Path> files, Path sealed) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", true);
        r.put("id", h.documentId().toString());
        r.put("number", h.documentNumber());
        r.put("type", h.type().name());
        r.put("subject", h.subject());
        r.put("sender", h.sender().value());
        r.put("classification", h.classification().name());
        r.put("precedence", h.precedence().name());
        r.put("actionRecipients", h.actionRecipients().stream().map(OrgCode::value).toList());
        r.put("informationRecipients", h.informationRecipients().stream().map(OrgCode::value).toList());
        h.inReplyTo().ifPresent(x -> r.put("inReplyTo", x.toString()));
        h.deadline().ifPresent(x -> r.put("deadline", x));
        r.put("signer", signer);
        r.put("verified", true);
        r.put("files", files.stream().map(Path::toString).toList());
        if (sealed != null) {
            r.put("sealed", sealed.toString());
        }
        out.result(r, () -> {
            out.out().println(h.documentNumber() + "  " + h.subject());
            out.out().println("  from            " + h.sender().value() + " (signed by " + signer + ")");
            out.out().println("  type            " + h.type() + ", " + h.classification() + ", " + h.precedence());
            h.deadline().ifPresent(d -> out.out().println("  deadline        " + StatusCommand.TIME.format(d)));
            h.inReplyTo().ifPresent(x -> out.out().println("  in reply to     " + x));
            out.out().println("  verified        signature, certificate chain and revocation, recipient list");
            files.forEach(p -> out.out().println("  file            " + p));
            if (sealed != null) {
                out.out().println("  sealed original " + sealed);
            }
        });
    }
}
