package dev.pouch.server;

import dev.pouch.server.config.NettyRuntime;
import dev.pouch.server.config.PouchProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Pouch exchange server. With no configuration it runs on an embedded PostgreSQL and an
 * embedded Artemis broker under {@code ./data}, with the demo directory; see docs/operations.md.
 */
@SpringBootApplication
@EnableConfigurationProperties(PouchProperties.class)
@EnableScheduling
public class PouchServerApplication {

    public static void main(String[] args) {
        NettyRuntime.allowUnsafeForJournal();
        SpringApplication.run(PouchServerApplication.class, args);
    }
}
