package dev.pouch.client.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The small pieces the bench's figures rest on: sizes and durations, percentiles, JSON, exact-size text. */
class BenchFiguresTest {

    @Test
    void sizes_and_durations_read_as_people_write_them() {
        assertThat(Sizes.parseBytes("16KiB")).isEqualTo(16_384);
        assertThat(Sizes.parseBytes("16k")).isEqualTo(16_384);
        assertThat(Sizes.parseBytes("1GiB")).isEqualTo(1L << 30);
        assertThat(Sizes.parseBytes("1000")).isEqualTo(1000);
        assertThatThrownBy(() -> Sizes.parseBytes("a lot")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Sizes.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Sizes.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Sizes.parseDuration("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Sizes.format(16_384)).isEqualTo("16 KiB");
        assertThat(Sizes.format(1L << 30)).isEqualTo("1 GiB");
    }

    @Test
    void percentiles_are_nearest_rank() {
        long[] ms = new long[100];
        for (int i = 0; i < 100; i++) {
            ms[i] = (100 - i) * 1_000_000L; // 1..100 ms, unsorted
        }
        Latencies l = Latencies.ofNanos(ms);
        assertThat(l.count()).isEqualTo(100);
        assertThat(l.p50()).isEqualTo(50.0);
        assertThat(l.p95()).isEqualTo(95.0);
        assertThat(l.p99()).isEqualTo(99.0);
        assertThat(l.max()).isEqualTo(100.0);
        assertThat(Latencies.ofNanos(new long[] {7_000_000}).p99()).isEqualTo(7.0);
        assertThat(Latencies.ofNanos(new long[0])).isEqualTo(Latencies.NONE);
    }

    @Test
    void the_report_json_is_well_formed_and_reads_back() {
        String json = BenchJson.write(Map.of("name", "报告 \"one\"\n", "list", List.of(1, 2.5), "nan", Double.NaN));
        assertThat(json).contains("\"name\": \"报告 \\\"one\\\"\\n\"").contains("[1, 2.500]").contains("\"nan\": null");
        assertThat(BenchJson.stringField(json, "name")).contains("报告 \"one\"\n");
        String pem = "-----BEGIN CERTIFICATE-----\n" + "A".repeat(100_000) + "\n-----END CERTIFICATE-----\n";
        assertThat(BenchJson.stringField("{\"chainPem\":" + BenchJson.quote(pem) + "}", "chainPem")).contains(pem);
        assertThat(BenchJson.measurement("{\"measurements\":[{\"statistic\":\"COUNT\",\"value\":12.0},"
                + "{\"statistic\":\"TOTAL_TIME\",\"value\":1.5E-1}]}", "TOTAL_TIME")).contains(0.15);
    }

    @Test
    void text_cut_to_an_exact_size_stays_valid_utf8() throws CharacterCodingException {
        byte[] utf8 = "ab各驻外机构".getBytes(StandardCharsets.UTF_8); // 2 + 5 x 3 bytes
        for (int size = 1; size <= utf8.length; size++) {
            byte[] cut = Content.exactUtf8(utf8, size);
            assertThat(cut).hasSize(size);
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(cut));
        }
    }
}
