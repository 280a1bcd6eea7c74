package dev.pouch.client.cli;

import dev.pouch.client.ExchangeApi;
import dev.pouch.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pouch send --batch} and {@code pouch batch} as a person runs them (the packaged jar, its
 * own process) against the packaged server: the mistakes refused with their codes before anything
 * is sent; a batch whose sending process is killed (SIGKILL) part-way and then run again, which
 * resumes it, and the exchange holding each of its documents exactly once — it answered as a
 * duplicate only documents that were in flight when the process died; and the batch view, for
 * the issuer only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchCommandIT {

    private static final int FILES = 150;
    private static final int IN_FLIGHT = 4;

    private static Path dir;
    private static ServerProcess server;
    private static PouchCommand pouch;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pouch-batch-test");
        server = new ServerProcess(dir.resolve("server")).start();
        Files.createDirectories(dir.resolve("home"));
        pouch = new PouchCommand(dir.resolve("home"), server.exchangePort());
        work = Files.createDirectories(dir.resolve("work"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        dev.pouch.client.LocalStore.deleteTree(dir);
    }

    private static String demo(String org, String staff) {
        return dir.resolve("server/demo/" + org + "-" + staff + ".p12").toString();
    }

    private static String api() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    private static String[] send(String folder, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("send", "--batch", folder, "-c", demo("HQ-EUR", "wang.fang"),
                "--number-prefix", "商欧统〔2026〕10", "--subject", "2026年10月贸易统计 trade statistics", "--type", "STATISTICS",
                "--to", "FR-EMB,DE-EMB", "--in-flight", Integer.toString(IN_FLIGHT), "--api", api()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    @Order(1)
    void mistakes_are_refused_with_a_code_before_anything_is_sent() throws Exception {
        Path empty = Files.createDirectories(work.resolve("empty"));
        Files.writeString(empty.resolve(".hidden"), "not sent");
        PouchCommand.Result none = pouch.run(work, send("empty"));
        assertThat(none.exit()).as("%s", none).isEqualTo(Pouch.INVALID_INPUT);
        assertThat(none.err()).contains("pouch: error INVALID_INPUT:", "holds no files to send");

        Path big = Files.createDirectories(work.resolve("big"));
        Files.writeString(big.resolve("a.csv"), "ok\n");
        try (FileChannel ch = FileChannel.open(big.resolve("b.csv"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 16L << 20); // sparse, 16 MiB + 1
        }
        PouchCommand.Result tooLarge = pouch.run(work, send("big"));
        assertThat(tooLarge.exit()).as("%s", tooLarge).isEqualTo(Pouch.INVALID_INPUT);
        assertThat(tooLarge.err()).contains("b.csv", "at most 16 MiB", "pouch send FILE");

        Path some = Files.createDirectories(work.resolve("some"));
        Files.writeString(some.resolve("a.csv"), "ok\n");
        PouchCommand.Result region = pouch.run(work, "send", "--batch", "some", "-c", demo("HQ-EUR", "wang.fang"), "--number-prefix",
                "X", "--subject", "s", "--to", "region:ATLANTIS");
        assertThat(region.exit()).as("%s", region).isEqualTo(Pouch.INVALID_INPUT);
        assertThat(region.err()).contains("pouch: error 3003 UNKNOWN_RECIPIENT", "ATLANTIS");

        PouchCommand.Result noPrefix = pouch.run(work, "send", "--batch", "some", "-c", demo("HQ-EUR", "wang.fang"), "--subject", "s",
                "--to", "FR-EMB");
        assertThat(noPrefix.exit()).as("%s", noPrefix).isEqualTo(2);
        assertThat(noPrefix.err()).contains("--number-prefix");

        PouchCommand.Result list = pouch.run(work, "batch", "list", "-c", demo("HQ-EUR", "wang.fang"), "--api", api(), "--json");
        assertThat(list.exit()).as("%s", list).isZero();
        assertThat(list.out()).contains("\"batches\":[]");
        assertThat(dir.resolve("home/.pouch/HQ-EUR/batches")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(p).isEmptyDirectory());
        assertThat(submissions("accepted")).isZero();
    }

    @Test
    @Order(2)
    void a_batch_whose_sender_is_killed_is_resumed_by_the_same_command_and_nothing_is_stored_twice() throws Exception {
        Path folder = Files.createDirectories(work.resolve("stats-2026-10"));
        for (int i = 1; i <= FILES; i++) {
            Files.writeString(folder.resolve(String.format("trade-%03d.csv", i)), "country,month,exports\nFR,2026-10," + (1000 + i) + "\n");
        }
        Path batches = dir.resolve("home/.pouch/HQ-EUR/batches");
        Path log = work.resolve("send-1.log");
        Process first = pouch.start(work, log, send("stats-2026-10"));
        await(() -> acknowledged(batches) >= 40, "40 acknowledgements in the journal", first);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL, uploads in flight
        long before = acknowledged(batches);
        assertThat(before).isLessThan(FILES);
        double duplicatesBefore = submissions("duplicate");

        PouchCommand.Result resumed = pouch.run(work, send("stats-2026-10", "--json"));
        assertThat(resumed.exit()).as("%s", resumed).isZero();
        String batchId = json(resumed.out(), "batchId");
        long acknowledgedBefore = number(resumed.out(), "acknowledgedBefore");
        long sentNow = number(resumed.out(), "sentNow");
        long alreadyStored = number(resumed.out(), "alreadyStored");
        assertThat(resumed.out()).contains("\"resumed\":true", "\"size\":" + FILES);
        assertThat(acknowledgedBefore).isGreaterThanOrEqualTo(before);
        assertThat(acknowledgedBefore + sentNow).isEqualTo(FILES);
        assertThat(alreadyStored).as("stored, but its answer died with the process").isLessThanOrEqualTo(IN_FLIGHT);

        // On the exchange: every document once, duplicates answered only for those whose answer was lost.
        assertThat(submissions("accepted")).isEqualTo(FILES);
        assertThat(submissions("duplicate") - duplicatesBefore).isEqualTo(alreadyStored);

        PouchCommand.Result again = pouch.run(work, send("stats-2026-10"));
        assertThat(again.exit()).as("%s", again).isZero();
        assertThat(again.out()).contains("Already sent: batch " + batchId);
        assertThat(submissions("accepted")).isEqualTo(FILES);

        PouchCommand.Result status = pouch.run(work, "batch", "status", batchId, "-c", demo("HQ-EUR", "wang.fang"), "--api", api(),
                "--json");
        assertThat(status.exit()).as("%s", status).isZero();
        assertThat(status.out()).contains("\"size\":" + FILES, "\"accepted\":" + FILES, "\"officesAddressed\":2",
                "\"organization\":\"FR-EMB\",\"region\":\"EUROPE\",\"addressed\":" + FILES);
        PouchCommand.Result table = pouch.run(work, "batch", "status", batchId, "-c", demo("HQ-EUR", "wang.fang"), "--api", api());
        assertThat(table.out()).contains("documents  " + FILES + " of " + FILES + " accepted").containsPattern("DE-EMB +EUROPE +" + FILES);
        PouchCommand.Result listed = pouch.run(work, "batch", "list", "-c", demo("HQ-EUR", "wang.fang"), "--api", api());
        assertThat(listed.out()).contains(batchId, FILES + " of " + FILES);

        // A recipient office is not shown the batch: the exchange answers as for no batch at all.
        PouchCommand.Result foreign = pouch.run(work, "batch", "status", batchId, "-c", demo("FR-EMB", "marie.dupont"), "--api", api());
        assertThat(foreign.exit()).as("%s", foreign).isEqualTo(Pouch.REFUSED);
        assertThat(foreign.err()).contains("pouch: error 3007 NOT_FOUND");
    }

    // --- helpers

    /** Acknowledgements recorded in the (one) batch journal of the store. */
    private static long acknowledged(Path batches) {
        if (!Files.isDirectory(batches)) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(batches)) {
            for (Path d : dirs.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                Path acks = d.resolve("acks.log");
                if (Files.exists(acks)) {
                    return Files.readAllLines(acks).stream().filter(l -> l.split("\t").length == 3).count();
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** The exchange's count of submissions with this outcome (its metrics, read as the demo administrator). */
    private static double submissions(String outcome) {
        ExchangeApi admin = new ExchangeApi(URI.create(api()), server.demo("HQ-GO", "admin"), Duration.ofSeconds(30));
        try {
            JsonNode m = admin.get("/actuator/metrics/pouch.submissions?tag=outcome:" + outcome);
            for (JsonNode s : m.path("measurements")) {
                if (s.path("statistic").asString().equals("COUNT")) {
                    return s.path("value").asDouble();
                }
            }
            return 0;
        } catch (dev.pouch.client.ClientException e) {
            if (e.code().map(c -> c == dev.pouch.protocol.ErrorCode.NOT_FOUND).orElse(false) || e.getMessage().contains("HTTP 404")) {
                return 0; // never counted yet
            }
            throw e;
        }
    }

    private static String json(String output, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(output);
        assertThat(m.find()).as("%s in %s", field, output).isTrue();
        return m.group(1);
    }

    private static long number(String output, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(output);
        assertThat(m.find()).as("%s in %s", field, output).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void await(java.util.function.BooleanSupplier condition, String what, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new AssertionError("not within 3 minutes (or the process ended): " + what);
            }
            Thread.sleep(20);
        }
    }
}
