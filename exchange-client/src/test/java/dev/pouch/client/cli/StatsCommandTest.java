package dev.pouch.client.cli;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code pouch stats} shows rates and durations to a person. */
class StatsCommandTest {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    @Test
    void rates_are_percentages_with_one_decimal_and_a_dash_when_undefined() {
        assertThat(StatsCommand.percent(N.numberNode(0.5))).isEqualTo("50.0%");
        assertThat(StatsCommand.percent(N.numberNode(2.0 / 3))).isEqualTo("66.7%");
        assertThat(StatsCommand.percent(N.numberNode(1.0))).isEqualTo("100.0%");
        assertThat(StatsCommand.percent(N.numberNode(0.0))).isEqualTo("0.0%");
        assertThat(StatsCommand.percent(N.nullNode())).isEqualTo("—");
    }

    @Test
    void durations_read_in_days_and_hours_down_to_seconds() {
        assertThat(StatsCommand.duration(N.numberNode(2 * 86_400 + 4 * 3_600 + 59 * 60.0))).isEqualTo("2 d 4 h");
        assertThat(StatsCommand.duration(N.numberNode(3 * 3_600 + 12 * 60 + 5.0))).isEqualTo("3 h 12 min");
        assertThat(StatsCommand.duration(N.numberNode(12 * 60 + 30.0))).isEqualTo("12 min");
        assertThat(StatsCommand.duration(N.numberNode(39.6))).isEqualTo("40 s");
        assertThat(StatsCommand.duration(N.numberNode(0.2))).isEqualTo("0 s");
        assertThat(StatsCommand.duration(N.nullNode())).isEqualTo("—");
    }
}
