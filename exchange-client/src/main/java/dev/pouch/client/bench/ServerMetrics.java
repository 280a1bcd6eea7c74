package dev.pouch.client.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the server says of itself (its actuator metrics over HTTPS): the timers of each stage, and
 * its heap; and, when it runs on this machine, its resident memory. Missing figures stay missing.
 */
final class ServerMetrics {

    /** The server's own timers: Submit to SubmitAck, its PostgreSQL and broker transactions, acceptance to office ack. */
    static final List<String> TIMERS = List.of("pouch.submission.accept", "pouch.submission.store", "pouch.routing.send",
            "pouch.delivery.latency");

    record Timer(double count, double totalSeconds) {
    }

    private final Optional<AdminApi> api;
    private final OptionalLong pid;

    ServerMetrics(Optional<AdminApi> api, OptionalLong pid) {
        this.api = api;
        this.pid = pid;
    }

    Map<String, Timer> timers() {
        Map<String, Timer> out = new LinkedHashMap<>();
        api.ifPresent(a -> {
            for (String name : TIMERS) {
                a.metric(name, null).ifPresent(json -> out.put(name, new Timer(
                        BenchJson.measurement(json, "COUNT").orElse(0.0), BenchJson.measurement(json, "TOTAL_TIME").orElse(0.0))));
            }
        });
        return out;
    }

    /** Mean milliseconds per event of each timer between two readings. */
    static Map<String, Object> meansMs(Map<String, Timer> before, Map<String, Timer> after) {
        Map<String, Object> out = new LinkedHashMap<>();
        after.forEach((name, t) -> {
            Timer b = before.getOrDefault(name, new Timer(0, 0));
            double n = t.count() - b.count();
            if (n > 0) {
                out.put(name, Map.of("count", (long) n, "meanMs", 1000 * (t.totalSeconds() - b.totalSeconds()) / n));
            }
        });
        return out;
    }

    /** Heap in use, bytes (the actuator's {@code jvm.memory.used}, area heap). */
    OptionalLong heapUsed() {
        return api.flatMap(a -> a.metric("jvm.memory.used", "area:heap")).flatMap(j -> BenchJson.measurement(j, "VALUE"))
                .map(v -> OptionalLong.of(v.longValue())).orElse(OptionalLong.empty());
    }

    OptionalLong heapMax() {
        return api.flatMap(a -> a.metric("jvm.memory.max", "area:heap")).flatMap(j -> BenchJson.measurement(j, "VALUE"))
                .map(v -> OptionalLong.of(v.longValue())).orElse(OptionalLong.empty());
    }

    /** Resident memory of the server process, bytes, if it runs here. */
    OptionalLong residentBytes() {
        if (pid.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid.getAsLong()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or gone
        }
        return OptionalLong.empty();
    }

    /** Highest server heap, server RSS and bench heap seen, sampled every {@code periodMs} until closed. */
    final class PeakSampler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stop;
        private volatile long serverHeap = -1;
        private volatile long serverRss = -1;
        private volatile long benchHeap = -1;

        PeakSampler(long periodMs) {
            thread = Thread.ofPlatform().daemon().name("bench-memory").start(() -> {
                var memory = ManagementFactory.getMemoryMXBean();
                while (!stop) {
                    heapUsed().ifPresent(v -> serverHeap = Math.max(serverHeap, v));
                    residentBytes().ifPresent(v -> serverRss = Math.max(serverRss, v));
                    benchHeap = Math.max(benchHeap, memory.getHeapMemoryUsage().getUsed());
                    try {
                        Thread.sleep(periodMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long serverHeap() {
            return serverHeap;
        }

        long serverRss() {
            return serverRss;
        }

        long benchHeap() {
            return benchHeap;
        }

        @Override
        public void close() {
            stop = true;
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
