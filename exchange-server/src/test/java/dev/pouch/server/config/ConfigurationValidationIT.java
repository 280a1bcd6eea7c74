package dev.pouch.server.config;

import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

/** A wrong setting stops the server at start-up with a message that names it — before anything starts. */
class ConfigurationValidationIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--pouch.ceiling=SECRET | pouch.ceiling must be PUBLIC or INTERNAL",
            "--pouch.exchange.port=70000 | pouch.exchange.port",
            "--pouch.broker.url=http://broker:61616 | pouch.broker.url must be Artemis core URLs",
            "--pouch.db.url=jdbc:postgresql://127.0.0.1:1/pouch | pouch.db.password-file and pouch.db.owner-password-file are required",
            "--pouch.broker.username=pouch | pouch.broker.password-file is required",
            "--pouch.delivery.ack-timeout=forever | pouch.delivery.ack-timeout",
            "--pouch.ceiling=RESTRICTED | pouch.ceiling",
    })
    void a_wrong_setting_is_named_at_start_up(String argument, String message) {
        Path dir = TestServer.tempDir();
        assertThatThrownBy(() -> TestServer.start(dir, argument).close())
                .satisfies(e -> assertThat(causes(e)).contains(message));
        assertThat(dir.resolve("postgres")).doesNotExist();
        assertThat(dir.resolve("artemis")).doesNotExist();
        TestServer.deleteTree(dir);
    }

    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append('\n');
        }
        return b.toString();
    }
}
