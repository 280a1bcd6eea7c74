package dev.pouch.client.bench;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.CredentialStore;
import dev.pouch.crypto.pki.Credentials;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code pouch bench}: the load generator. Simulates the overseas offices — each an
 * {@code ExchangeClient} taking its deliveries into its own store — and HQ senders, all in this
 * JVM, against a real exchange (one it starts from the packaged jar, or a running one), measures
 * what the design's performance targets name, and checks that every document reached every
 * addressed office exactly once.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load generator: simulates the overseas offices (each a client taking its deliveries) and HQ senders "
                + "against an exchange, and measures end to end: documents per second (sealed, accepted, stored, routed, "
                + "delivered, opened, receipted), a notice to all offices, and a large file. Every document must reach every "
                + "addressed office exactly once, unaltered, with its receipt accepted, or the bench fails.",
            "Either --start-server (a fresh server from the packaged jar, loopback only, stopped at the end) or "
                + "--server HOST:PORT with --data-dir of that server (its demo administrator and organization keys)."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  done, every document delivered exactly once (targets missed or not)",
            "  2  the command line is wrong", "  8  the check failed: a document was lost, duplicated, misrouted or altered,",
            "     a send failed, or a scenario did not finish in time"})
public final class BenchCommand implements Callable<Integer> {

    /** Exit code when the bench's correctness check fails. */
    public static final int CHECK_FAILED = 8;

    enum Scenario { THROUGHPUT, BROADCAST, LARGE, BATCH, ALL }

    @Mixin
    ServerOptions target = new ServerOptions();

    @Option(names = "--offices", paramLabel = "N", defaultValue = "207", description = "Offices to simulate (default ${DEFAULT-VALUE}).")
    int offices;

    @Option(names = "--senders", paramLabel = "N", defaultValue = "8", description = "HQ departments sending (default ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "2", description = "Documents each sender keeps going at once (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--documents", paramLabel = "N", defaultValue = "0", description = "Documents to send in the throughput scenario (0: for --duration).")
    long documents;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s", converter = Sizes.DurationConverter.class,
            description = "How long the throughput scenario sends, unless --documents (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "100", description = "Documents sent (and waited for) before measuring (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "16KiB", converter = Sizes.ByteConverter.class,
            description = "Size of each document of the throughput and broadcast scenarios (default ${DEFAULT-VALUE}).")
    long size;

    @Option(names = "--recipients", paramLabel = "N", defaultValue = "1", description = "Offices each throughput document is addressed to (default ${DEFAULT-VALUE}).")
    int recipients;

    @Option(names = "--broadcasts", paramLabel = "N", defaultValue = "10", description = "Notices to all offices, one after another (default ${DEFAULT-VALUE}).")
    int broadcasts;

    @Option(names = "--large-size", paramLabel = "SIZE", defaultValue = "1GiB", converter = Sizes.ByteConverter.class,
            description = "Size of the large file (default ${DEFAULT-VALUE}).")
    long largeSize;

    @Option(names = "--batch-files", paramLabel = "N", defaultValue = "1061",
            description = "Files of the batch scenario, sent as one batch to every office (default ${DEFAULT-VALUE}).")
    int batchFiles;

    @Option(names = "--batch-file-size", paramLabel = "SIZE", defaultValue = "2KiB", converter = Sizes.ByteConverter.class,
            description = "Size of each file of the batch (default ${DEFAULT-VALUE}).")
    long batchFileSize;

    @Option(names = "--batch-in-flight", paramLabel = "N", defaultValue = "6",
            description = "Documents of the batch sent at once (default ${DEFAULT-VALUE}).")
    int batchInFlight;

    @Option(names = "--batch-interrupt-after", paramLabel = "N", defaultValue = "300",
            description = "Cut the batch's sender off after N acknowledgements and resume it (0: never; default ${DEFAULT-VALUE}).")
    int batchInterruptAfter;

    @Option(names = "--scenario", paramLabel = "SCENARIO", defaultValue = "all", split = ",", converter = ScenarioConverter.class,
            description = "throughput, broadcast, large, batch, or all (the first three); several separated by commas"
                    + " (default ${DEFAULT-VALUE}).")
    List<Scenario> scenarios;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = Sizes.DurationConverter.class,
            description = "Longest wait for a scenario's last deliveries (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
    Path output;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the temporary folders go (default: the system's).")
    Path workDir;

    @Option(names = "--clients-dir", paramLabel = "DIR", description = "Where the simulated clients keep their stores and drafts "
            + "(default: /dev/shm where it exists: the offices and HQ departments stand for other machines, whose disk "
            + "flushes should not land on the exchange's disk; otherwise the work folder).")
    Path clientsDir;

    @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "5s", converter = Sizes.DurationConverter.class,
            description = "How long to measure the CPU of everything connected and idle before the scenarios (default ${DEFAULT-VALUE}).")
    Duration idle;

    @Option(names = "--keep", description = "Keep the temporary folders (offices' stores, server data) after the run.")
    boolean keep;

    @Spec
    CommandSpec spec;

    private BenchReport report;
    /** What the batch scenario needs beyond the run: the sender's credentials and the exchange's addresses. */
    private BatchScenario.Context batchContext;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = spec.commandLine().getErr();
        validate();
        report = new BenchReport();
        report.host = BenchReport.Host.current();
        log.printf(Locale.ROOT, "pouch bench: %s, %d cores, heap max %s%n", report.host.date(), report.host.cores(),
                Sizes.format(report.host.benchHeapMax()));
        Path work = workDir == null ? Files.createTempDirectory("pouch-bench-")
                : Files.createTempDirectory(Files.createDirectories(workDir), "pouch-bench-");
        Path clients = clientsDir != null ? Files.createTempDirectory(Files.createDirectories(clientsDir), "pouch-bench-clients-")
                : Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))
                ? Files.createTempDirectory(Path.of("/dev/shm"), "pouch-bench-clients-") : work.resolve("clients");
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            LargeFileScenario.UNCAUGHT.compareAndSet(null, e);
            log.println("pouch bench: " + t.getName() + " failed: " + e);
        });
        try {
            run(work, clients, log);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            if (keep) {
                log.println("pouch bench: kept " + work + " and " + clients);
            } else {
                deleteTree(clients);
                deleteTree(work);
            }
        }
        String jsonReport = BenchJson.write(report.json());
        if (output != null) {
            Files.writeString(output, jsonReport + "\n", StandardCharsets.UTF_8);
        }
        if (json) {
            out.println(jsonReport);
            out.flush();
        } else {
            report.print(out);
        }
        return report.passed() ? 0 : CHECK_FAILED;
    }

    /** The report of the last run (for tests). */
    BenchReport report() {
        return report;
    }

    private void validate() {
        if (target.startServer == (target.server != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --start-server or --server HOST:PORT");
        }
        if (target.server != null && target.dataDir == null && target.adminCredentials == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "with --server, give --data-dir (or --admin-credentials)");
        }
        if (offices < 1 || senders < 1 || inFlight < 1 || recipients < 1 || size < 64 || size > (16 << 20)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--offices, --senders, --in-flight and --recipients are at least 1; --size is from 64 bytes to 16 MiB");
        }
    }

    private void run(Path work, Path clients, PrintWriter log) throws IOException {
        Set<Scenario> chosen = scenarios.contains(Scenario.ALL) ? EnumSet.of(Scenario.THROUGHPUT, Scenario.BROADCAST, Scenario.LARGE)
                : EnumSet.copyOf(scenarios);
        LocalServer local = null;
        try {
            String host;
            int port;
            int httpsPort;
            Path data;
            if (target.startServer) {
                Path jar = LocalServer.findJar(target.serverJar);
                log.printf("pouch bench: starting the server (%s, -Xmx%s)%n", jar, target.serverHeap);
                log.flush();
                local = LocalServer.start(jar, work.resolve("server"), target.serverHeap, target.serverJvmOptions, target.serverArgs);
                host = "127.0.0.1";
                port = local.exchangePort();
                httpsPort = local.httpsPort();
                data = local.dataDir();
            } else {
                int colon = target.server.lastIndexOf(':');
                host = target.server.substring(0, colon);
                port = Integer.parseInt(target.server.substring(colon + 1));
                httpsPort = target.adminPort;
                data = target.dataDir;
            }
            Path adminFile = target.adminCredentials != null ? target.adminCredentials : data.resolve("demo/HQ-GO-admin.p12");
            Credentials admin = CredentialStore.read(adminFile, Password.fromFile(Provisioning.passwordFile(adminFile)));
            AdminApi api = new AdminApi(admin.require(CredentialRole.TLS), admin.trustAnchors().getFirst(), host, httpsPort);
            boolean enrol = target.enrolOrganizationKeys != null ? target.enrolOrganizationKeys : target.startServer;
            Optional<Path> keysFile = enrol ? Optional.empty()
                    : Optional.of(target.organizationKeys != null ? target.organizationKeys : data.resolve("demo/organization-keys.p12"));
            Provisioning.Organizations orgs = Provisioning.prepare(api, admin, host, port, offices, senders, keysFile, log);
            List<String> officeCodes = orgs.offices();
            List<String> senderCodes = orgs.senders();
            Map<String, Credentials> credentials = orgs.credentials();
            double provisioned = orgs.seconds();
            String prefix = "BENCH-" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(report.host.date())
                    + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
            try (DeliveryTracker tracker = new DeliveryTracker(prefix)) {
                log.printf("pouch bench: connecting %d offices and %d senders%n", officeCodes.size(), senderCodes.size());
                log.flush();
                long t1 = System.nanoTime();
                try (Fleet fleet = Fleet.connect(credentials, officeCodes, senderCodes, host, port, clients, tracker, timeout)) {
                    report.setup = new BenchReport.Setup(local != null ? "started here from the packaged jar" : "at " + host + ":" + port,
                            local != null ? target.serverHeap : "?", officeCodes.size(), senderCodes.size(), provisioned,
                            (System.nanoTime() - t1) / 1e9, clients.toString());
                    LocalServer s = local;
                    CpuMeter cpu = new CpuMeter(s == null ? Optional.empty() : ProcessHandle.of(s.pid()),
                            s == null ? Optional::empty : s::postgres);
                    ServerMetrics metrics = new ServerMetrics(Optional.of(api), s == null ? OptionalLong.empty() : OptionalLong.of(s.pid()));
                    Run run = new Run(fleet, tracker, prefix, timeout, cpu, metrics, log, new AtomicLong());
                    batchContext = new BatchScenario.Context(credentials.get(senderCodes.getFirst()), host, port,
                            java.net.URI.create("https://" + host + ":" + httpsPort), api);
                    if (!idle.isZero()) {
                        log.printf("pouch bench: measuring %d s of everything connected and idle%n", idle.toSeconds());
                        log.flush();
                        CpuMeter.Sample before = cpu.sample();
                        sleep(idle);
                        report.idle = CpuMeter.between(before, cpu.sample());
                    }
                    try {
                        scenarios(run, chosen, s == null ? () -> "" : s::output);
                    } catch (RuntimeException e) {
                        report.aborted = e.toString();
                        log.println("pouch bench: a scenario failed: " + e);
                    }
                    report.check = tracker.check(fleet.inboxes());
                }
            }
        } catch (RuntimeException e) {
            report.aborted = e.toString();
            log.println("pouch bench: aborted: " + e);
            if (System.getenv("POUCH_DEBUG") != null) {
                e.printStackTrace(log);
            }
        } finally {
            if (local != null) {
                log.println("pouch bench: stopping the server");
                log.flush();
                local.close();
                if (!report.passed()) {
                    Path kept = (workDir != null ? workDir : work.getParent()).resolve(work.getFileName() + "-server.log");
                    Files.copy(local.dataDir().resolve("server.log"), kept);
                    log.println("pouch bench: the run failed; the server's log is kept in " + kept);
                }
            }
        }
    }

    private void scenarios(Run run, Set<Scenario> chosen, java.util.function.Supplier<String> serverLog) {
        if (chosen.contains(Scenario.THROUGHPUT)) {
            report.throughput = ThroughputScenario.run(run, new ThroughputScenario.Settings(documents, duration, (int) size, recipients,
                    inFlight, warmup));
        }
        if (chosen.contains(Scenario.BROADCAST) && broadcasts > 0) {
            report.broadcast = BroadcastScenario.run(run, broadcasts, (int) size);
        }
        if (chosen.contains(Scenario.LARGE)) {
            report.large = LargeFileScenario.run(run, largeSize, serverLog);
        }
        if (chosen.contains(Scenario.BATCH)) {
            report.batch = BatchScenario.run(run, new BatchScenario.Settings(batchFiles, (int) batchFileSize, batchInFlight,
                    batchInterruptAfter), batchContext);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary folder
        }
    }

    /** Scenario names in any case. */
    static final class ScenarioConverter implements CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String value) {
            try {
                return Scenario.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a scenario: throughput, broadcast, large, batch or all");
            }
        }
    }
}
