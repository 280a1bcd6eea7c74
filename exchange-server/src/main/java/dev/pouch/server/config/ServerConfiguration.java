package dev.pouch.server.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Shared infrastructure beans: the clock every feature uses, and the executor for blocking work. */
@Configuration(proxyBeanMethods = false)
class ServerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Blocking work handed off the event loops (stores, submissions, deliveries). Virtual threads:
     * they wait on the database and the broker, and their number is bounded by the connection pool
     * and by the transport's own limits.
     */
    @Bean(destroyMethod = "close")
    ExecutorService blockingExecutor() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("pouch-work-", 0).factory());
    }
}
