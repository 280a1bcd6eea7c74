package dev.pouch.client.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The exchange server started for a bench run from its packaged jar, as an operator would: its own
 * JVM with a bounded heap, a fresh data folder, loopback ports only. Stopped (SIGTERM, then
 * SIGKILL if it lingers) at the end, with the embedded PostgreSQL it started.
 */
final class LocalServer implements AutoCloseable {

    private final Path dataDir;
    private final Path log;
    private final int exchangePort = freePort();
    private final int httpsPort = freePort();
    private final Process process;

    private LocalServer(Path jar, Path dataDir, String heap, List<String> jvmOptions, List<String> extraArgs) throws IOException {
        this.dataDir = dataDir;
        this.log = dataDir.resolve("server.log");
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-Xmx" + heap);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(),
                "--pouch.data-dir=" + dataDir.toAbsolutePath(), "--pouch.exchange.host=127.0.0.1",
                "--pouch.exchange.port=" + exchangePort, "--server.address=127.0.0.1", "--server.port=" + httpsPort,
                // The bench certifies keys of its own for every organization (AdminApi), so the demo
                // export of all private keys (400-odd PBKDF2 runs) would only take CPU from the run.
                "--pouch.demo-organization-keys=false"));
        command.addAll(extraArgs);
        this.process = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * Starts the server and waits (at most 3 minutes) until it says it has started. Ports are
     * picked free just before, so another process can take one first: then it starts again, in
     * a fresh folder with fresh ports (twice at most).
     */
    static LocalServer start(Path jar, Path dataDir, String heap, List<String> jvmOptions, List<String> extraArgs) {
        for (int attempt = 1; ; attempt++) {
            Path dir = attempt == 1 ? dataDir : dataDir.resolveSibling(dataDir.getFileName() + "-" + attempt);
            LocalServer s;
            try {
                s = new LocalServer(jar, dir, heap, jvmOptions, extraArgs);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the server from " + jar, e);
            }
            try {
                s.awaitStarted();
                return s;
            } catch (IllegalStateException e) {
                s.close();
                if (attempt == 3 || !s.output().contains("already in use")) {
                    throw e;
                }
            }
        }
    }

    private void awaitStarted() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        try {
            while (!output().contains("Started PouchServerApplication")) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the server exited with " + process.exitValue() + ":\n" + tail());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the server did not start within 3 minutes:\n" + tail());
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the server started", e);
        }
    }

    /**
     * The server jar: {@code given}, or the one the build left in
     * {@code exchange-server/target} below the working directory.
     */
    static Path findJar(Path given) {
        if (given != null) {
            if (!Files.isRegularFile(given)) {
                throw new IllegalArgumentException("no server jar at " + given);
            }
            return given;
        }
        Path dir = Path.of("exchange-server", "target");
        try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            return files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith("pouch-exchange-server-") && n.endsWith(".jar") && !n.endsWith("-tests.jar")
                        && !n.endsWith("-sources.jar");
            }).max(Comparator.comparing(f -> f.toFile().lastModified())).orElseThrow(() -> new IllegalArgumentException(
                    "no server jar in " + dir.toAbsolutePath() + ": build it (./mvnw -pl exchange-server -am package"
                            + " -DskipTests) or name it with --server-jar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int exchangePort() {
        return exchangePort;
    }

    int httpsPort() {
        return httpsPort;
    }

    Path dataDir() {
        return dataDir;
    }

    long pid() {
        return process.pid();
    }

    /** The embedded PostgreSQL's postmaster, once it runs. */
    Optional<ProcessHandle> postgres() {
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

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private String tail() {
        String out = output();
        return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
    }

    /** SIGTERM (graceful shutdown), SIGKILL after a minute; then the PostgreSQL it started, if left behind. */
    @Override
    public void close() {
        Optional<ProcessHandle> postgres = postgres();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        postgres.filter(ProcessHandle::isAlive).ifPresent(p -> {
            p.destroy();
            p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join();
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        });
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
