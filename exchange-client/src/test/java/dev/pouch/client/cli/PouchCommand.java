package dev.pouch.client.cli;

import dev.pouch.server.testing.ServerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code pouch} command — the packaged jar, as its own process, as a person or a
 * script would — with {@code HOME} in a test folder and the exchange's address in the environment.
 */
final class PouchCommand {

    /** What a run printed and how it ended. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private final Path home;
    private final int port;
    private final int httpsPort;

    PouchCommand(Path home, int port) {
        this(home, port, 8443);
    }

    /** With the exchange's HTTPS port too (surveys, batches, statistics), given as {@code POUCH_API}. */
    PouchCommand(Path home, int port, int httpsPort) {
        this.home = home;
        this.port = port;
        this.httpsPort = httpsPort;
    }

    static Path jar() {
        String path = System.getProperty("pouch.client.jar");
        if (path == null || !Files.exists(Path.of(path))) {
            throw new IllegalStateException("the client jar is not built: run the integration tests through Maven (verify)");
        }
        return Path.of(path);
    }

    private ProcessBuilder builder(Path workDir, String... args) {
        List<String> command = ServerProcess.java();
        // Java takes its home folder from the system, not $HOME: ~/.pouch must be the test's.
        // A class-data archive beside the home folder, made by the first run and reused by the next
        // ones: the tests start the command a hundred times, and this takes about a third off each
        // start. One per test class (in the class's own folder), so that no two test runs ever
        // write one archive at once.
        command.addAll(List.of("-Xmx256m", "-Duser.home=" + home, "-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + home.resolveSibling("pouch-cli.jsa"), "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("POUCH_SERVER", "127.0.0.1:" + port);
        env.put("POUCH_API", "https://127.0.0.1:" + httpsPort);
        env.remove("POUCH_PASSWORD");
        env.remove("POUCH_CREDENTIALS");
        return pb;
    }

    /** Runs a command to its end (at most two minutes). */
    Result run(Path workDir, String... args) {
        try {
            Path out = Files.createTempFile(home, "out", ".txt");
            Path err = Files.createTempFile(home, "err", ".txt");
            Process p = builder(workDir, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("pouch " + String.join(" ", args) + " did not finish within two minutes");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A long-running command (the agent), its output going to {@code log}. */
    Process start(Path workDir, Path log, String... args) {
        try {
            return builder(workDir, args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> args(String... a) {
        return new ArrayList<>(List.of(a));
    }
}
