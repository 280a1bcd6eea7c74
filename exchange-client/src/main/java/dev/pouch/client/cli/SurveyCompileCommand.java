package dev.pouch.client.cli;

import dev.pouch.client.ClientException;
import dev.pouch.client.Draft;
import dev.pouch.client.ExchangeClient;
import dev.pouch.client.LocalStore;
import dev.pouch.client.SurveyCompilation;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code pouch survey compile}: fetches a survey's compilation package (汇总) from the exchange and
 * keeps it sealed for the requesting department alone; optionally unpacks it and shares it onward.
 */
@Command(name = "compile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compile a survey (汇总): the exchange packs every response's sealed original, the opened attachments,",
                "a manifest (CSV, JSON) and a report (.docx) into one zip; it is kept here sealed for your organization alone",
                "(open it with: pouch open FILE.p7m -o DIR). Above 16 MiB the parts are written beside FILE as FILE-base.part-N.p7m.",
                "With --share-to, the package is also sent onward as a REPORT in reply to the survey."},
        footer = {"", "Example:", "  pouch survey compile 3f0c…-… -o telecom-survey.p7m --extract telecom-survey/ --share-to HQ-GO,HQ-FT"})
final class SurveyCompileCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Mixin
    Output out;

    @Parameters(paramLabel = "SURVEY_ID", description = "The survey (the id of its SURVEY_REQUEST).")
    UUID survey;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.p7m", description = "The sealed package to write.")
    Path output;

    @Option(names = "--extract", paramLabel = "DIR", description = "Also unpack the package into DIR (an empty or new folder).")
    Path extract;

    @Option(names = "--share-to", split = ",", paramLabel = "RECIPIENT",
            description = "Send the package onward to these organizations or regions (region:EUROPE), as a new document.")
    List<String> shareTo = new ArrayList<>();

    @Option(names = {"-n", "--number"},
            description = "The compilation's document number (default: the survey's number followed by -汇总).")
    String number;

    @Option(names = "--store", paramLabel = "DIR", description = "Your local folder (default ~/.pouch/<ORG>).")
    Path store;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(output) || Files.exists(OpenCommand.partFile(output, 0))) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, output + " exists already; choose another name");
        }
        Path parent = Optional.ofNullable(output.toAbsolutePath().getParent()).orElse(Path.of("."));
        Files.createDirectories(parent);
        Path work = Files.createTempDirectory(parent, ".pouch-compile-");
        try {
            Path download = client.api().download("/api/surveys/" + survey + "/compilation", work.resolve("download.zip"));
            SurveyCompilation.Summary summary = SurveyCompilation.read(download);
            if (!summary.surveyId().equals(survey)) {
                throw new ClientException(ClientException.Kind.VERIFICATION, "the exchange sent the compilation of another survey ("
                        + summary.surveyId() + ")");
            }
            Path zip = Files.move(download, work.resolve(SurveyCompilation.fileName(summary.surveyNumber())));
            String n = number != null ? number : SurveyCompilation.number(summary.surveyNumber());
            Map<String, Object> r = new LinkedHashMap<>();
            List<Path> written = new ArrayList<>();
            try (ExchangeClient c = client.connect(store)) {
                DocumentHeader header = SurveyCompilation.keptHeader(c.organization(), summary, n, zip);
                ExchangeClient.Kept kept = c.keep(header, zip, work);
                written.add(Files.move(kept.main(), output));
                for (int i = 0; i < kept.parts().size(); i++) {
                    written.add(Files.move(kept.parts().get(i), OpenCommand.partFile(output, i)));
                }
                r.put("ok", true);
                r.put("survey", survey.toString());
                r.put("id", header.documentId().toString());
                r.put("number", n);
                r.put("classification", summary.classification().name());
                r.put("files", written.stream().map(Path::toString).toList());
                r.put("targets", summary.targets());
                r.put("respondedOnTime", summary.onTime());
                r.put("respondedLate", summary.late());
                r.put("noResponse", summary.noResponse());
                r.put("withdrawn", summary.withdrawn());
                if (extract != null) {
                    r.put("extracted", SurveyCompilation.extract(zip, extract));
                }
                if (!shareTo.isEmpty()) {
                    ExchangeClient.Sent sent = c.send(Draft.builder().number(n).subject(SurveyCompilation.subject(summary))
                            .type(DocumentType.REPORT).classification(summary.classification()).to(shareTo)
                            .inReplyTo(survey).file(zip).build());
                    Map<String, Object> shared = new LinkedHashMap<>();
                    shared.put("id", sent.id().toString());
                    shared.put("acceptedAt", sent.acceptedAt());
                    shared.put("recipients", sent.recipients().stream().map(OrgCode::value).toList());
                    r.put("shared", shared);
                }
            }
            out.result(r, () -> {
                out.out().println("Compiled " + summary.surveyNumber() + " " + summary.subject() + (summary.withdrawn() ? " (withdrawn)" : ""));
                out.out().println("  targets " + summary.targets() + ": " + summary.onTime() + " on time, " + summary.late() + " late, "
                        + summary.noResponse() + " no response");
                out.out().println("  kept as " + n + " (" + summary.classification() + "), sealed for your organization alone:");
                written.forEach(p -> out.out().println("    " + p));
                if (r.get("extracted") != null) {
                    out.out().println("  unpacked " + r.get("extracted") + " files into " + extract);
                }
                if (r.get("shared") instanceof Map<?, ?> s) {
                    out.out().println("  shared as " + s.get("id") + " with " + s.get("recipients"));
                }
            });
            return 0;
        } finally {
            LocalStore.deleteTree(work);
        }
    }
}
