package dev.pouch.client.bench;

import dev.pouch.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pouch bench} end to end, small: it starts the packaged server itself, provisions five
 * offices and one HQ sender, sends twenty documents and one broadcast (after one for warm-up),
 * and every document reaches every addressed office exactly once, with its receipt accepted.
 */
class BenchCommandIT {

    @TempDir
    Path dir;

    @Test
    void a_small_run_delivers_every_document_to_every_addressed_office_exactly_once() throws Exception {
        BenchCommand bench = new BenchCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(bench);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        Path report = dir.resolve("report.json");

        int code = cl.execute("--start-server", "--server-jar", ServerProcess.jar().toString(), "--offices", "5", "--senders", "1",
                "--documents", "20", "--warmup", "0", "--broadcasts", "1", "--scenario", "throughput,broadcast", "--idle", "0s",
                "--timeout", "1m", "--work-dir", dir.toString(), "--clients-dir", dir.resolve("clients").toString(),
                "--output", report.toString());

        assertThat(code).as(out + "\n" + err).isZero();
        BenchReport r = bench.report();
        Check c = r.check;
        assertThat(c.documents()).isEqualTo(20 + 2); // throughput, the warm-up broadcast, the broadcast
        assertThat(c.expectedDeliveries()).isEqualTo(20 + 2 * 5);
        assertThat(c.stored()).isEqualTo(c.expectedDeliveries());
        assertThat(c.receipted()).isEqualTo(c.expectedDeliveries());
        assertThat(c.onDisk()).isEqualTo(c.expectedDeliveries());
        assertThat(c.duplicates() + c.misrouted() + c.corrupted() + c.missing() + c.missingReceipts() + c.failures()).isZero();
        assertThat(r.throughput.done()).isEqualTo(20);
        assertThat(r.throughput.docsPerSecond()).isPositive();
        assertThat(r.throughput.receipted().count()).isEqualTo(20);
        assertThat(r.broadcast.storedPerOffice().count()).isEqualTo(5);
        assertThat(r.large).isNull();
        assertThat(out.toString()).contains("documents/s end to end", "RESULT: every document reached every addressed office exactly once");
        assertThat(Files.readString(report)).contains("\"passed\": true", "\"cores\": " + Runtime.getRuntime().availableProcessors());
        assertThat(dir.resolve("clients")).isEmptyDirectory(); // the offices' stores are removed after the run
    }
}
