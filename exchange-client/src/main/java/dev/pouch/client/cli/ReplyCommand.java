package dev.pouch.client.cli;

import dev.pouch.client.Draft;
import dev.pouch.client.ExchangeClient;
import dev.pouch.client.LocalStore;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.Precedence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code pouch reply ID FILE…}: answers a received document, to its sender, marked as the reply to it. */
@Command(name = "reply", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reply to a document your organization received: sent to its sender, marked in reply to it, at its",
                "classification unless you say otherwise. A survey request is answered with a REPORT, anything else with a REPLY."})
final class ReplyCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Mixin
    Output out;

    @Parameters(index = "0", paramLabel = "ID", description = "The document you answer.")
    UUID original;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "The files of your reply.")
    List<Path> files;

    @Option(names = {"-n", "--number"}, required = true, description = "Your reply's document number (文号).")
    String number;

    @Option(names = "--subject", description = "Default: 'Re: ' and the original's subject.")
    String subject;

    @Option(names = "--type", description = "Default REPORT for a survey request, else REPLY.")
    DocumentType type;

    @Option(names = "--classification", description = "Default: the original's classification.")
    Classification classification;

    @Option(names = "--precedence", defaultValue = "ROUTINE", description = "Default ${DEFAULT-VALUE}.")
    Precedence precedence;

    @Option(names = "--cc", split = ",", paramLabel = "RECIPIENT", description = "Information recipients besides the sender.")
    List<String> cc = List.of();

    @Option(names = "--dir", paramLabel = "DIR",
            description = "The agent's folder: the original is read from it (else fetched from the exchange), the sealed reply kept in it.")
    Path dir;

    @Option(names = "--id", paramLabel = "ID", description = "Your reply's id (to resend it safely).")
    UUID id;

    private record Original(String sender, String subject, String type, String classification) {
    }

    @Override
    public Integer call() throws IOException {
        try (ExchangeClient c = client.connect(dir); Progress progress = Progress.start(out, "Sending " + number)) {
            Original o = find(c);
            Draft.Builder draft = Draft.builder().number(number).inReplyTo(original).to(o.sender()).copyTo(cc).files(files)
                    .subject(subject != null ? subject : "Re: " + o.subject())
                    .type(type != null ? type : o.type().equals(DocumentType.SURVEY_REQUEST.name()) ? DocumentType.REPORT : DocumentType.REPLY)
                    .classification(classification != null ? classification : Classification.valueOf(o.classification()))
                    .precedence(precedence);
            if (id != null) {
                draft.id(id);
            }
            c.onUpload(progress);
            ExchangeClient.Sent sent = c.send(draft.build());
            progress.close();
            SendCommand.report(out, sent, subject != null ? subject : "Re: " + o.subject());
        }
        return 0;
    }

    private Original find(ExchangeClient c) throws IOException {
        Optional<LocalStore.Entry> local = dir == null ? Optional.empty() : new LocalStore(dir).get(original);
        if (local.isPresent()) {
            LocalStore.Entry e = local.get();
            return new Original(e.sender(), e.subject(), e.type(), e.classification());
        }
        Path tmp = Files.createTempDirectory("pouch-reply");
        try {
            var h = c.fetch(original, tmp.resolve("original")).header();
            return new Original(h.sender().value(), h.subject(), h.type().name(), h.classification().name());
        } finally {
            LocalStore.deleteTree(tmp);
        }
    }
}
