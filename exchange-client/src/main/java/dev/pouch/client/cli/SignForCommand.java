package dev.pouch.client.cli;

import dev.pouch.client.ExchangeClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code pouch sign-for ID}: records that you signed for (签收) a document your organization received. */
@Command(name = "sign-for", mixinStandardHelpOptions = true,
        description = "Sign for (签收) a document your organization received; the sender sees it in the status.")
final class SignForCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Mixin
    Output out;

    @Parameters(paramLabel = "ID", description = "The document id.")
    UUID id;

    @Option(names = "--note", defaultValue = "", description = "A note kept with the signature, e.g. 'forwarded to the commercial section'.")
    String note;

    @Override
    public Integer call() {
        try (ExchangeClient c = client.connect(null)) {
            c.signFor(id, note);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ok", true);
            r.put("id", id.toString());
            r.put("organization", c.organization().value());
            out.result(r, () -> out.out().println("Signed for " + id + " on behalf of " + c.organization().value() + "."));
        }
        return 0;
    }
}
