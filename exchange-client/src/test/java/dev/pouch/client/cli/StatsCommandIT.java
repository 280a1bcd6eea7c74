package dev.pouch.client.cli;

import dev.pouch.server.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pouch stats} as a person runs it (the packaged jar) against the packaged server: one
 * notice sent with {@code pouch send}, then its figures in the table, per region, as JSON and as
 * a CSV file; and the refusals — another office's figures, a malformed period, a bad grouping —
 * each with its code and exit code.
 */
class StatsCommandIT {

    private static Path dir;
    private static Path work;
    private static ServerProcess server;
    private static PouchCommand pouch;
    private static String window;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pouch-stats-cli-test");
        server = new ServerProcess(dir.resolve("server")).start();
        Files.createDirectories(dir.resolve("home"));
        work = Files.createDirectories(dir.resolve("work"));
        pouch = new PouchCommand(dir.resolve("home"), server.exchangePort());
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        window = today.minusDays(1) + "," + today.plusDays(2);

        Files.writeString(work.resolve("notice.txt"), "关于统计工作的通知\n", StandardCharsets.UTF_8);
        PouchCommand.Result sent = pouch.run(work, "send", "notice.txt", "-c", demo("HQ-EUR", "wang.fang"), "--number",
                "欧洲司〔2026〕301号", "--subject", "关于统计工作的通知", "--to", "FR-EMB,DE-EMB");
        assertThat(sent.exit()).as("%s", sent).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String demo(String org, String staff) {
        return dir.resolve("server/demo/" + org + "-" + staff + ".p12").toString();
    }

    private static PouchCommand.Result stats(String credentials, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("stats", "-c", credentials, "--api", "https://127.0.0.1:" + server.httpsPort(),
                "--from", window.split(",")[0], "--to", window.split(",")[1]));
        all.addAll(List.of(args));
        return pouch.run(work, all.toArray(String[]::new));
    }

    @Test
    void the_table_shows_each_unit_s_figures_with_rates_as_percentages() {
        PouchCommand.Result r = stats(demo("HQ-EUR", "wang.fang"));
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains("Statistics by organization, " + window.replace(',', '/'), "Asia/Shanghai, end not included");
        assertThat(r.out()).containsPattern("UNIT +NAME +SENT +RECEIVED +DELIVERED +ACTION +REPLIED +REPLY RATE +SURVEYS +ANSWERED"
                + " +ON TIME +MEDIAN RESPONSE +SURVEYS SENT +RESPONSE RATE");
        //                                         sent recv deliv action replied rate
        assertThat(r.out()).containsPattern("\nHQ-EUR +欧洲司 +1 +0 +0 +0 +0 +— +0 +0 +— +— +0 +—\n");
        assertThat(r.out()).containsPattern("\nFR-EMB +驻法国使馆经济商务处 +0 +1 +0 +1 +0 +0\\.0% +0 +0 +— +— +0 +—\n");
        assertThat(r.out()).containsPattern("\nES-EMB +驻西班牙使馆经济商务处 +0 +0 +0 +0 +0 +— ");
        assertThat(r.out()).containsPattern("\nTOTAL +239 units +1 +2 +0 +2 +0 +0\\.0% ");

        PouchCommand.Result regions = stats(demo("HQ-EUR", "wang.fang"), "--by", "region", "--kind", "overseas_office");
        assertThat(regions.exit()).as("%s", regions).isZero();
        assertThat(regions.out()).containsPattern("\nEUROPE +45 units +0 +2 +0 +2 +0 +0\\.0% ");
        assertThat(regions.out()).containsPattern("\nAFRICA +\\d+ units +0 +0 +0 +0 +0 +— ");

        PouchCommand.Result json = stats(demo("HQ-EUR", "wang.fang"), "--org", "FR-EMB", "--json");
        assertThat(json.exit()).as("%s", json).isZero();
        assertThat(json.out()).startsWith("{\"ok\":true,").contains("\"key\":\"FR-EMB\"", "\"received\":1", "\"actionItems\":1",
                "\"replyRate\":0.0");
    }

    @Test
    void csv_goes_to_a_file_with_a_header_row_and_chinese_names() throws Exception {
        Path file = work.resolve("stats.csv");
        PouchCommand.Result r = stats(demo("HQ-EUR", "wang.fang"), "--csv", "stats.csv");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains("Statistics written to stats.csv");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.getFirst()).startsWith("period_from,period_to,organization,name_zh,name_en,kind,region,units,sent,received");
        assertThat(lines).hasSize(1 + 239);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(
                ",FR-EMB,驻法国使馆经济商务处,\"Economic and Commercial Office, Embassy in France\",OVERSEAS_OFFICE,EUROPE,1,0,1,0,1,0,0.0000,"));
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("\r\n");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".partial-"));
        }
    }

    @Test
    void refusals_print_their_code_and_exit_with_its_code() {
        PouchCommand.Result other = stats(demo("FR-EMB", "marie.dupont"), "--org", "DE-EMB");
        assertThat(other.exit()).as("%s", other).isEqualTo(Pouch.REFUSED);
        assertThat(other.err()).contains("pouch: error 3008 FORBIDDEN:", "staff of FR-EMB see the statistics of FR-EMB only");

        PouchCommand.Result own = stats(demo("FR-EMB", "marie.dupont"));
        assertThat(own.exit()).as("%s", own).isZero();
        assertThat(own.out()).containsPattern("\nFR-EMB +驻法国使馆经济商务处 +0 +1 ").doesNotContain("DE-EMB", "TOTAL");

        PouchCommand.Result period = pouch.run(work, "stats", "-c", demo("HQ-EUR", "wang.fang"), "--api",
                "https://127.0.0.1:" + server.httpsPort(), "--period", "2026-13");
        assertThat(period.exit()).as("%s", period).isEqualTo(Pouch.REFUSED);
        assertThat(period.err()).contains("pouch: error 3015 INVALID_REQUEST:", "period '2026-13' is not a month, quarter or year");

        PouchCommand.Result reversed = pouch.run(work, "stats", "-c", demo("HQ-EUR", "wang.fang"), "--api",
                "https://127.0.0.1:" + server.httpsPort(), "--from", "2026-12-01", "--to", "2026-11-01", "--json");
        assertThat(reversed.exit()).isEqualTo(Pouch.REFUSED);
        assertThat(reversed.out()).contains("\"ok\":false", "\"code\":3015", "must be before to");

        PouchCommand.Result region = stats(demo("HQ-EUR", "wang.fang"), "--region", "ATLANTIS");
        assertThat(region.exit()).isEqualTo(Pouch.REFUSED);
        assertThat(region.err()).contains("3015 INVALID_REQUEST", "region 'ATLANTIS' is not one of");

        PouchCommand.Result by = stats(demo("HQ-EUR", "wang.fang"), "--by", "country");
        assertThat(by.exit()).as("%s", by).isEqualTo(2);
        assertThat(by.err()).contains("--by", "country");
        assertThat(work.resolve("nothing.csv")).doesNotExist();
    }
}
