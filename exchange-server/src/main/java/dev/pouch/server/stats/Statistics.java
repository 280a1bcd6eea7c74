package dev.pouch.server.stats;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a {@link StatisticsQuery}: one row per group (organization, region, or a single
 * total row), and the totals over all of them.
 */
public record Statistics(StatisticsQuery query, List<Row> rows, Row totals) {

    /**
     * One group's figures. {@code key} is the organization code, the region, or {@code TOTAL};
     * the organization's kind, region and names are given for an organization's row.
     */
    public record Row(String key, String kind, String region, String nameZh, String nameEn, Figures figures) {
        public Row {
            Objects.requireNonNull(key);
            Objects.requireNonNull(figures);
        }
    }

    public Statistics {
        Objects.requireNonNull(query);
        rows = List.copyOf(rows);
        Objects.requireNonNull(totals);
    }
}
