package dev.pouch.client.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Percentiles (nearest rank) of a set of latencies, in milliseconds. */
record Latencies(int count, double p50, double p95, double p99, double max, double mean) {

    static final Latencies NONE = new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static Latencies ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return NONE;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted.length, ms(rank(sorted, 50)), ms(rank(sorted, 95)), ms(rank(sorted, 99)),
                ms(sorted[sorted.length - 1]), Arrays.stream(sorted).average().orElse(0) / 1e6);
    }

    /** The smallest value with at least {@code percent}% of the values at or below it. */
    static long rank(long[] sorted, double percent) {
        int i = (int) Math.ceil(sorted.length * percent / 100.0) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("p50Ms", p50);
        m.put("p95Ms", p95);
        m.put("p99Ms", p99);
        m.put("maxMs", max);
        m.put("meanMs", mean);
        return m;
    }

    /** p50 / p95 / p99 / max in ms, for a table cell. */
    String cell() {
        return count == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.0f / %.0f / %.0f / %.0f ms", p50, p95, p99, max);
    }
}
