package dev.pouch.client.bench;

import dev.pouch.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance batch at full length and a few offices: 1,061 small statistics files sent as
 * one batch by {@code pouch bench --scenario batch} (the code path of the full-scale benchmark,
 * whose 207 offices take far longer than a test may; see docs/benchmarks.md), with every
 * addressed office's client connected. The sender is cut off after 300 acknowledgements, uploads
 * in flight, and a new client resumes the batch from its journal. Every office ends with all
 * 1,061 documents exactly once, the exchange's batch view agrees, and the exchange stored each
 * document once: it answered as a duplicate only the ones in flight when the sender was cut off.
 */
class BatchBenchIT {

    private static final int FILES = 1061;
    private static final int OFFICES = 3;
    private static final int IN_FLIGHT = 6;

    @TempDir
    Path dir;

    @Test
    void a_1061_file_batch_interrupted_and_resumed_reaches_every_office_exactly_once() {
        BenchCommand bench = new BenchCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(bench);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int code = cl.execute("--start-server", "--server-jar", ServerProcess.jar().toString(), "--offices", Integer.toString(OFFICES),
                "--senders", "1", "--scenario", "batch", "--batch-files", Integer.toString(FILES), "--batch-file-size", "1KiB",
                "--batch-in-flight", Integer.toString(IN_FLIGHT), "--batch-interrupt-after", "300", "--idle", "0s",
                "--timeout", "10m", "--work-dir", dir.toString(), "--clients-dir", dir.resolve("clients").toString());

        System.out.println(out); // the report, with the figures, in the test's output
        assertThat(code).as(out + "\n" + err).isZero();
        BatchScenario.Result b = bench.report().batch;
        assertThat(b.failures()).as(err.toString()).isEmpty();
        assertThat(b.completed()).isTrue();
        assertThat(b.acknowledgedAtInterruption()).isGreaterThanOrEqualTo(300);
        assertThat(b.resentAfterResume()).isBetween(FILES - b.acknowledgedAtInterruption() - IN_FLIGHT, FILES - 300);
        assertThat(b.answeredAsDuplicate()).isBetween(0, IN_FLIGHT);
        assertThat(b.serverAccepted()).isEqualTo(FILES);
        assertThat(b.serverDuplicates()).isEqualTo(b.answeredAsDuplicate());
        assertThat(b.view().accepted()).isEqualTo(FILES);
        assertThat(b.view().officesAddressed()).isEqualTo(OFFICES);
        assertThat(b.view().officesComplete()).isEqualTo(OFFICES);
        assertThat(b.view().deliveriesDelivered()).isEqualTo((long) FILES * OFFICES);
        assertThat(b.view().offices()).allSatisfy(o -> {
            assertThat(o.addressed()).isEqualTo(FILES);
            assertThat(o.delivered()).isEqualTo(FILES);
        });

        Check c = bench.report().check;
        assertThat(c.documents()).isEqualTo(FILES);
        assertThat(c.expectedDeliveries()).isEqualTo((long) FILES * OFFICES);
        assertThat(c.stored()).isEqualTo(c.expectedDeliveries());
        assertThat(c.receipted()).isEqualTo(c.expectedDeliveries());
        assertThat(c.onDisk()).isEqualTo(c.expectedDeliveries());
        assertThat(c.duplicates() + c.misrouted() + c.corrupted() + c.missing() + c.missingReceipts() + c.failures()).isZero();
        assertThat(out.toString()).contains("time to fully delivered", "RESULT: every document reached every addressed office exactly once");
    }
}
