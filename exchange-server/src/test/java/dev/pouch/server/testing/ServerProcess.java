package dev.pouch.server.testing;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.pki.CredentialStore;
import dev.pouch.crypto.pki.Credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exchange server as its own process, started from the packaged jar exactly as an operator
 * would, so that tests can kill it (SIGKILL, no shutdown hooks) and start it again on the same
 * data. Its output goes to {@code server.log} in the data directory.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern POSTGRES = Pattern.compile("Embedded PostgreSQL \\S+ on 127\\.0\\.0\\.1:(\\d+)");

    private final Path dataDir;
    private final Path log;
    private final int exchangePort = freePort();
    private final int httpsPort = freePort();
    private final List<String> extraArgs;
    private Process process;

    public ServerProcess(Path dataDir, String... extraArgs) {
        this.dataDir = dataDir;
        this.log = dataDir.resolve("server.log");
        this.extraArgs = List.of(extraArgs);
    }

    /** The repackaged server jar (failsafe passes its path; packaging precedes integration tests). */
    public static Path jar() {
        String path = System.getProperty("pouch.server.jar");
        if (path == null || !Files.exists(Path.of(path))) {
            throw new IllegalStateException("the server jar is not built: run the integration tests through Maven (verify)");
        }
        return Path.of(path);
    }

    /** The JVM running this test, and the flags a JVM of its version needs for Netty and the broker's journal. */
    public static List<String> java() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        return command;
    }

    public synchronized ServerProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        try {
            Files.createDirectories(dataDir);
            long from = Files.exists(log) ? Files.size(log) : 0;
            List<String> command = java();
            command.addAll(List.of("-Xmx512m", "-jar", jar().toString(),
                    "--pouch.data-dir=" + dataDir, "--pouch.exchange.port=" + exchangePort, "--server.port=" + httpsPort,
                    "--pouch.demo-organization-keys=false", "--pouch.broker.redelivery-delay=200ms"));
            command.addAll(extraArgs);
            process = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!output(from).contains("Started PouchServerApplication")) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the server exited with " + process.exitValue() + ":\n" + tail(from));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the server did not start within 3 minutes:\n" + tail(from));
                }
                Thread.sleep(200);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed that was not already durable. */
    public synchronized void kill() {
        process.destroyForcibly();
        waitFor(process);
    }

    /** SIGKILL to the embedded PostgreSQL as well (it outlives a killed server otherwise). */
    public void killPostgres() {
        postgres().ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    /** SIGTERM: the graceful shutdown an operator's service manager does. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor(process);
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    private Optional<ProcessHandle> postgres() {
        Path pidFile = dataDir.resolve("postgres/postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public int exchangePort() {
        return exchangePort;
    }

    public int httpsPort() {
        return httpsPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A demo staff member's credentials, as the first start wrote them. */
    public Credentials demo(String organization, String staffId) {
        Path base = dataDir.resolve("demo");
        return CredentialStore.read(base.resolve(organization + "-" + staffId + ".p12"),
                Password.fromFile(base.resolve(organization + "-" + staffId + ".password")));
    }

    /** JDBC URL of the running embedded PostgreSQL (from the latest start's log line). */
    public String jdbcUrl() {
        Matcher m = POSTGRES.matcher(output(0));
        String port = null;
        while (m.find()) {
            port = m.group(1);
        }
        if (port == null) {
            throw new IllegalStateException("no embedded PostgreSQL in the log");
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/pouch";
    }

    public String appPassword() {
        return new String(Password.fromFile(dataDir.resolve("secrets/db-app.password")).chars());
    }

    public String output(long from) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            byte[] all = Files.readAllBytes(log);
            return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tail(long from) {
        String out = output(from);
        return out.length() > 6000 ? out.substring(out.length() - 6000) : out;
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
        killPostgres();
    }

    private static void waitFor(Process p) {
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
