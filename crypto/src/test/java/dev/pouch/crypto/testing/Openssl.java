package dev.pouch.crypto.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the {@code openssl} command as an independent checker; tests are skipped where it is missing. */
public final class Openssl {

    /** What one run produced. */
    public record Result(int exitCode, String output) {
    }

    private Openssl() {
    }

    public static boolean available() {
        try {
            return run(Path.of("."), "version").exitCode() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static void assumeAvailable() {
        assumeTrue(available(), "openssl is not on the PATH");
    }

    /** Runs {@code openssl args…} in {@code dir}, with a 60 s limit. */
    public static Result run(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
