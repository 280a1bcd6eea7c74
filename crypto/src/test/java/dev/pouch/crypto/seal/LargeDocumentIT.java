package dev.pouch.crypto.seal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1 GiB document seals and opens in a JVM limited to 256 MiB of heap, streaming to and from
 * files, and comes back bit for bit.
 */
class LargeDocumentIT {

    private static final long ONE_GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void oneGibDocument_sealsAndOpensUnderA256MiBHeap() throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", classpath,
                LargeDocumentRoundTrip.class.getName(), dir.toString(), Long.toString(ONE_GIB)))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("finished in time").isTrue();
        System.out.println(output);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("OK sha256=").contains("parts=64").contains("maxHeap=256 MiB");
    }
}
