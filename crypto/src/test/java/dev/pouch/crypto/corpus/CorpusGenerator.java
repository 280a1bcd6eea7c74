package dev.pouch.crypto.corpus;

import dev.pouch.crypto.corpus.CaseSupport.CorpusCase;
import dev.pouch.crypto.corpus.CorpusManifest.Row;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the negative corpus of the crypto module: the fixed PKI (only when absent; otherwise the
 * committed one is reused), every case as a PEM-armoured CMS file, and {@code manifest.csv}.
 *
 * <p>Run it by hand from the repository root to regenerate (with a JDK 21+ as {@code JAVA_HOME}):
 *
 * <pre>
 * ./mvnw -q -pl crypto test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.pouch.crypto.corpus.CorpusGenerator \
 *     -Dexec.args=crypto/src/test/resources/corpus
 * </pre>
 *
 * Before writing the manifest it runs every case against the production code; a case whose
 * outcome differs from its expected code is kept with the correct expectation and its description
 * is prefixed with {@code KNOWN-BUG:} and the actual outcome, so the test stays red until main
 * code is fixed and the next regeneration drops the marker.
 */
public final class CorpusGenerator {

    private static final String KNOWN_BUG = "KNOWN-BUG: ";

    private CorpusGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "crypto/src/test/resources/corpus");
        CorpusPki pki = CorpusPki.loadOrCreate(out.resolve("pki"));
        ControlCases controls = new ControlCases(pki);
        List<CorpusCase> cases = new ArrayList<>(controls.cases());
        for (CaseSupport group : List.of(new MalformedCases(pki, controls.sealed()), new EnvelopeCases(pki),
                new SignerCases(pki), new AttributeCases(pki), new HeaderCases(pki), new ReceiptCases(pki, controls),
                new PartCases(pki, controls))) {
            cases.addAll(group.cases());
        }

        Map<String, byte[]> files = new LinkedHashMap<>();
        for (CorpusCase c : cases) {
            byte[] previous = files.putIfAbsent(c.row().file(), c.bytes());
            if (previous != null && !Arrays.equals(previous, c.bytes())) {
                throw new IllegalStateException("two cases write different bytes to " + c.row().file());
            }
        }
        Path casesDir = out.resolve("cases");
        Files.createDirectories(casesDir);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(casesDir, "*.cms")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.writeString(casesDir.resolve(f.getKey()), CorpusManifest.armour(f.getValue()), StandardCharsets.US_ASCII);
        }

        CorpusRunner runner = new CorpusRunner(pki, name -> files.get(name).clone());
        List<Row> rows = new ArrayList<>();
        int bugs = 0;
        for (CorpusCase c : cases) {
            Row r = c.row();
            String actual = runner.outcome(r);
            String description = r.description().startsWith(KNOWN_BUG) ? r.description().substring(KNOWN_BUG.length()) : r.description();
            if (!actual.equals(r.expected())) {
                bugs++;
                description = KNOWN_BUG + "actual outcome " + actual + ". " + description;
            }
            System.out.printf("%-42s %-7s expected %-25s %s%n", r.file(), r.opener(), r.expected(), runner.detail(r));
            rows.add(new Row(r.file(), r.kind(), r.opener(), r.expected(), description, r.original(), r.part()));
        }
        CorpusManifest.write(out.resolve("manifest.csv"), rows);
        long negatives = rows.stream().filter(r -> !r.isControl()).count();
        System.out.printf("%d files, %d rows (%d negative, %d controls), %d KNOWN-BUG%n",
                files.size(), rows.size(), negatives, rows.size() - negatives, bugs);
    }
}
