package dev.pouch.server.bench;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Organization;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.search.SearchIndex;
import dev.pouch.server.search.SearchRequest;
import dev.pouch.server.search.SearchResult;
import dev.pouch.server.search.SearchService;
import dev.pouch.server.search.SearchText;
import dev.pouch.server.testing.TestServer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Search benchmark over a synthetic archive, run as a program against a real server in this JVM
 * (embedded PostgreSQL, the V6-V9 schema, row-level security and all). {@code load N} writes N
 * documents with realistic Chinese and English text (Zipf-distributed vocabulary, one rare place
 * or company name per document) straight into PostgreSQL with COPY — document, recipient and
 * document_text rows, then search_entry computed from the same Java bigrams the ingest path uses —
 * with the search indexes dropped during the load and built after it; then {@code SearchIndex.add}
 * (the real ingest path) for 2,000 more. {@code measure} times searches through
 * {@link SearchService} (viewer transaction, row-level security, facets, snippets, audit) as an HQ
 * department's reader and an office's reader, and prints p50/p95/p99 per kind of query, and the
 * size of the table and of each index. The data directory is kept, so {@code measure} can run again.
 * <pre>
 * ./mvnw -o -q -pl exchange-server -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -Xmx1g -cp exchange-server/target/test-classes:exchange-server/target/classes:$(cat /tmp/cp.txt) \
 *     dev.pouch.server.bench.SearchBench /tmp/search-bench load 1000000
 * java ... dev.pouch.server.bench.SearchBench /tmp/search-bench measure 100 --pouch.search.max-matches=1000
 * java ... dev.pouch.server.bench.SearchBench /tmp/search-bench measure 100 "4 chars"
 * java ... dev.pouch.server.bench.SearchBench /tmp/search-bench explain "4 chars" 3
 * java ... dev.pouch.server.bench.SearchBench /tmp/search-bench sql "EXPLAIN ..."
 * </pre>
 * (arguments starting with {@code --} go to the server). A kind filter keeps the kinds of query
 * whose name contains it, and {@code measure} then prints each kind's slowest request too;
 * {@code explain} prints the candidates query's plan ({@code SearchPlans}); {@code sql} runs
 * statements as the schema owner.
 */
public final class SearchBench {

    private static final int BATCH = 20_000;
    private static final int REAL_PATH = 2_000;
    private static final int RARE_NAMES = 10_000;
    /** The search index's indexes as V6, V8 and V9 create them: dropped before a load, built after it. */
    private static final String[][] INDEXES = {
            {"search_entry_terms", "CREATE INDEX search_entry_terms ON search_entry USING gin (terms)"},
            {"search_entry_content_trgm", "CREATE INDEX search_entry_content_trgm ON search_entry USING gin (content gin_trgm_ops)"},
            {"search_entry_by_date", "CREATE INDEX search_entry_by_date ON search_entry (accepted_at DESC)"},
            {"search_entry_by_number", "CREATE INDEX search_entry_by_number ON search_entry (number_key)"},
            {"search_entry_by_issuer", "CREATE INDEX search_entry_by_issuer ON search_entry (issuer, accepted_at DESC)"},
            {"search_entry_by_type", "CREATE INDEX search_entry_by_type ON search_entry (type, accepted_at DESC)"},
            {"search_entry_by_region", "CREATE INDEX search_entry_by_region ON search_entry (issuer_region, accepted_at DESC)"},
            {"search_entry_by_type_region",
                    "CREATE INDEX search_entry_by_type_region ON search_entry (type, issuer_region, accepted_at DESC)"},
            {"search_entry_shingles", "CREATE INDEX search_entry_shingles ON search_entry USING gin (search_shingles(content))"},
            {"search_entry_long", "CREATE INDEX search_entry_long ON search_entry (accepted_at DESC) WHERE octet_length(content) > 150000"}};

    private SearchBench() {
    }

    public static void main(String[] args) throws Exception {
        String[] serverArgs = Arrays.stream(args).filter(a -> a.startsWith("--")).toArray(String[]::new);
        args = Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
        Path dir = Path.of(args[0]);
        String mode = args[1];
        TestServer server = TestServer.start(dir, serverArgs);
        try {
            if (mode.equals("load")) {
                load(server, Integer.parseInt(args[2]));
            }
            if (mode.equals("sql")) {
                // Statements from the arguments, run as the schema owner, their rows printed (EXPLAIN ...); others just run.
                for (int i = 2; i < args.length; i++) {
                    System.out.println("\n" + args[i]);
                    if (args[i].matches("(?is)\\s*(SELECT|EXPLAIN|WITH|SHOW)\\b.*")) {
                        server.ownerJdbc().queryForList(args[i]).forEach(row -> System.out.println("  " + row.values()));
                    } else {
                        server.ownerJdbc().execute(args[i]);
                    }
                }
            } else if (mode.equals("explain")) {
                // Optionally: only the kinds whose name contains args[2], each args[3] times (its requests vary).
                explain(server, kinds(server.ownerJdbc()), args.length > 2 ? args[2] : "", args.length > 3 ? Integer.parseInt(args[3]) : 1);
            } else {
                // load N [RUNS [KIND]] or measure [RUNS [KIND]]: only the kinds whose name contains KIND.
                int at = mode.equals("load") ? 3 : 2;
                measure(server, args.length > at ? Integer.parseInt(args[at]) : 200, args.length > at + 1 ? args[at + 1] : "");
            }
        } finally {
            server.close();
        }
    }

    // --- the archive

    private static void load(TestServer server, int n) throws Exception {
        JdbcTemplate owner = server.ownerJdbc();
        List<Organization> orgs = new ArrayList<>(server.bean(Directory.class).all());
        UUID blob = UUID.randomUUID();
        owner.update("INSERT INTO blob (id, size, sha256, complete) VALUES (?, 1, '\\x00', true)", blob);
        for (String[] index : INDEXES) {
            owner.execute("DROP INDEX IF EXISTS " + index[0]);
        }
        owner.execute("CREATE UNLOGGED TABLE IF NOT EXISTS search_staging (document_id uuid, number text, number_key text, issuer text,"
                + " issuer_region text, type text, classification text, precedence text, sharing_scope text, parties text[],"
                + " accepted_at timestamptz, head text, terms text, content text)");
        Generator g = new Generator(orgs, blob, owner.queryForObject("SELECT count(*) FROM document", Long.class));
        DataSource ds = owner.getDataSource();
        long t0 = System.nanoTime();
        long copyNanos = 0;
        long computeNanos = 0;
        long chars = 0;
        try (Connection c = ds.getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            try (Statement s = c.createStatement()) {
                s.execute("SET maintenance_work_mem = '512MB'");
                s.execute("SET synchronous_commit = off");
            }
            for (int done = 0; done < n; done += BATCH) {
                int size = Math.min(BATCH, n - done);
                Generator.Batch b = g.batch(size);
                chars += b.chars;
                long t = System.nanoTime();
                copy.copyIn("COPY document (id, number, issuer, year, type, subject, classification, precedence, sharing_scope,"
                        + " submitted_by, accepted_at, claimed_signing_time, signer_fingerprint, main_blob, main_sha256, content_size,"
                        + " part_count, content_type_oid, signed_content_identifier, signature_value, signed_attributes) FROM STDIN",
                        new StringReader(b.documents.toString()));
                copy.copyIn("COPY recipient (document_id, organization, role, state, queued_at) FROM STDIN",
                        new StringReader(b.recipients.toString()));
                copy.copyIn("COPY document_text (document_id, body, truncated) FROM STDIN", new StringReader(b.texts.toString()));
                copy.copyIn("COPY search_staging FROM STDIN", new StringReader(b.staging.toString()));
                copyNanos += System.nanoTime() - t;
                t = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.execute("""
                            INSERT INTO search_entry (document_id, number, number_key, issuer, issuer_region, type, classification,
                                precedence, sharing_scope, parties, accepted_at, subject_terms, terms, content)
                            SELECT document_id, number, number_key, issuer, issuer_region, type, classification, precedence, sharing_scope,
                                parties, accepted_at, to_tsvector('simple', unaccent(head)), strip(to_tsvector('simple', unaccent(terms))),
                                lower(unaccent(content))
                            FROM search_staging""");
                    s.execute("TRUNCATE search_staging");
                }
                computeNanos += System.nanoTime() - t;
                if ((done / BATCH) % 5 == 0) {
                    System.out.printf(Locale.ROOT, "loaded %,d documents (%.0f s)%n", done + size, (System.nanoTime() - t0) / 1e9);
                }
            }
            Map<String, Double> indexSeconds = new java.util.LinkedHashMap<>();
            for (String[] index : INDEXES) {
                long t = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.execute(index[1]);
                }
                indexSeconds.put(index[0], (System.nanoTime() - t) / 1e9);
            }
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE search_staging");
                s.execute("VACUUM ANALYZE search_entry");
                s.execute("VACUUM ANALYZE document");
                s.execute("VACUUM ANALYZE recipient");
                s.execute("VACUUM ANALYZE document_text");
            }
            double total = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%nLOAD %,d documents, %,d characters of text (%.0f per document)%n", n, chars,
                    (double) chars / n);
            System.out.printf(Locale.ROOT, "  generate + COPY (document, recipient, document_text, staging): %.1f s%n", copyNanos / 1e9);
            System.out.printf(Locale.ROOT, "  search_entry from the Java bigrams (to_tsvector, unaccent): %.1f s%n", computeNanos / 1e9);
            indexSeconds.forEach((k, v) -> System.out.printf(Locale.ROOT, "  CREATE INDEX %s: %.1f s%n", k, v));
            System.out.printf(Locale.ROOT, "  total %.1f s = %,.0f documents/s (indexes built after the load, then VACUUM ANALYZE)%n",
                    total, n / total);
        }
        // The real ingest path, one document per transaction, with every index in place.
        Generator.Batch b = g.batch(REAL_PATH);
        try (Connection c = ds.getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY document (id, number, issuer, year, type, subject, classification, precedence, sharing_scope,"
                    + " submitted_by, accepted_at, claimed_signing_time, signer_fingerprint, main_blob, main_sha256, content_size,"
                    + " part_count, content_type_oid, signed_content_identifier, signature_value, signed_attributes) FROM STDIN",
                    new StringReader(b.documents.toString()));
        }
        SearchIndex index = server.bean(SearchIndex.class);
        var tx = server.bean(org.springframework.transaction.support.TransactionTemplate.class);
        long t = System.nanoTime();
        for (SearchIndex.Entry e : b.entries) {
            tx.executeWithoutResult(s -> index.add(e));
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        System.out.printf(Locale.ROOT, "  SearchIndex.add (the submission path), one per transaction, indexes in place: %,d in %.1f s"
                + " = %.2f ms per document%n", REAL_PATH, seconds, seconds * 1000 / REAL_PATH);
    }

    // --- the searches

    private static void measure(TestServer server, int runs, String only) {
        JdbcTemplate owner = server.ownerJdbc();
        long docs = owner.queryForObject("SELECT count(*) FROM search_entry", Long.class);
        System.out.printf(Locale.ROOT, "%nSIZES over %,d documents%n", docs);
        List<String> relations = new ArrayList<>(List.of("search_entry"));
        Arrays.stream(INDEXES).map(i -> i[0]).forEach(relations::add);
        relations.addAll(List.of("document", "document_text", "recipient"));
        for (String rel : relations) {
            Long size = owner.queryForObject("SELECT pg_total_relation_size(to_regclass(?))", Long.class, rel);
            System.out.printf(Locale.ROOT, "  %-28s %,10.1f MiB%n", rel, size == null ? 0 : size / 1048576.0);
        }
        StaffRepository staff = server.bean(StaffRepository.class);
        Staff hq = staff.save(OrgCode.of("HQ-EUR"), "bench.reader", "bench", EnumSet.of(Role.READER), Classification.INTERNAL);
        Staff office = staff.save(OrgCode.of("FR-EMB"), "bench.reader", "bench", EnumSet.of(Role.READER), Classification.INTERNAL);
        SearchService search = server.bean(SearchService.class);
        Map<String, Supplier<SearchRequest>> kinds = kinds(owner);
        System.out.printf(Locale.ROOT, "%nLATENCY (ms, %d runs each after 20 warm-up runs, through SearchService: viewer transaction,"
                + " row-level security, facets, snippets, audit; max-matches %d; load average %.1f)%n", runs,
                server.bean(dev.pouch.server.config.PouchProperties.class).search().maxMatches(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "  %-44s %-6s %8s %8s %8s %10s%n", "query", "viewer", "p50", "p95", "p99", "matches");
        for (var kind : kinds.entrySet()) {
            if (!kind.getKey().contains(only)) {
                continue;
            }
            for (Staff viewer : List.of(hq, office)) {
                for (int i = 0; i < 20; i++) {
                    search.search(viewer, kind.getValue().get());
                }
                double[] ms = new double[runs];
                long matches = 0;
                boolean exact = true;
                String slowest = "";
                double slowestMs = 0;
                for (int i = 0; i < runs; i++) {
                    SearchRequest r = kind.getValue().get();
                    long t = System.nanoTime();
                    SearchResult result = search.search(viewer, r);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                    matches += result.total();
                    exact &= result.exact();
                    if (ms[i] > slowestMs) {
                        slowestMs = ms[i];
                        slowest = r.text() + " (" + result.total() + (result.exact() ? "" : "+") + " matches)";
                    }
                }
                if (!only.isEmpty()) {
                    System.out.printf(Locale.ROOT, "  slowest: %.1f ms, %s%n", slowestMs, slowest);
                }
                Arrays.sort(ms);
                System.out.printf(Locale.ROOT, "  %-44s %-6s %8.1f %8.1f %8.1f %9s%s%n", kind.getKey(),
                        viewer == hq ? "HQ" : "office", ms[runs / 2], ms[(int) (runs * 0.95)], ms[(int) (runs * 0.99)],
                        String.format(Locale.ROOT, "%,d", matches / runs), exact ? "" : "+");
            }
        }
    }

    /** The kinds of query measured, each a supplier of requests (rare names and phrases vary from run to run). */
    private static Map<String, Supplier<SearchRequest>> kinds(JdbcTemplate owner) {
        long docs = owner.queryForObject("SELECT count(*) FROM search_entry", Long.class);
        Random random = new Random(7);
        // A number and a 10-character phrase both viewers may find (documents shared with the whole exchange).
        String number = owner.queryForObject("SELECT number FROM search_entry WHERE sharing_scope = 'EXCHANGE'"
                + " ORDER BY accepted_at LIMIT 1 OFFSET ?", String.class, docs / 4);
        List<String> phrases = new ArrayList<>();
        for (String content : owner.queryForList("SELECT content FROM search_entry WHERE sharing_scope = 'EXCHANGE'"
                + " ORDER BY accepted_at LIMIT 200", String.class)) {
            SearchText.longCjkRuns(content).stream().filter(r -> r.length() >= 10).findFirst()
                    .ifPresent(r -> phrases.add(r.substring(0, 10)));
        }
        Map<String, Supplier<SearchRequest>> kinds = new java.util.LinkedHashMap<>();
        kinds.put("common Chinese 2 chars (市场)", () -> request("市场", Map.of()));
        kinds.put("common Chinese 4 chars (经贸合作)", () -> request("经贸合作", Map.of()));
        kinds.put("common English (trade)", () -> request("trade", Map.of()));
        kinds.put("rare Chinese name (1 in 10,000)", () -> request(Generator.rareZh(random.nextInt(RARE_NAMES)), Map.of()));
        kinds.put("rare English name (1 in 10,000)", () -> request(Generator.rareEn(random.nextInt(RARE_NAMES)), Map.of()));
        kinds.put("Chinese 10 chars (phrase from a document)", () -> request(phrases.get(random.nextInt(phrases.size())), Map.of()));
        kinds.put("common + filters (type, region, 1 year)", () -> request("市场", Map.of("type", "REPORT", "region", "EUROPE",
                "from", "2025-11-01", "to", "2026-10-31")));
        kinds.put("rare + filters (classification, sort date)", () -> request(Generator.rareZh(random.nextInt(RARE_NAMES)),
                Map.of("classification", "INTERNAL", "sort", "date")));
        kinds.put("filters only (sender, date)", () -> request("", Map.of("sender", "HQ-EUR", "sort", "date")));
        kinds.put("document number (文号)", () -> request("", Map.of("number", number)));
        return kinds;
    }

    /** PostgreSQL's plan of each kind's candidates query (search_matches), for the HQ reader, with timings. */
    private static void explain(TestServer server, Map<String, Supplier<SearchRequest>> kinds, String only, int times) {
        int max = server.bean(dev.pouch.server.config.PouchProperties.class).search().maxMatches();
        for (var kind : kinds.entrySet()) {
            if (!kind.getKey().contains(only)) {
                continue;
            }
            for (int i = 0; i < times; i++) {
                SearchRequest r = kind.getValue().get();
                System.out.printf(Locale.ROOT, "%n--- %s: %s%n", kind.getKey(), r.text());
                dev.pouch.server.search.SearchPlans.explain(server.ownerJdbc(), r, "HQ-EUR", "INTERNAL", true, max)
                        .forEach(line -> System.out.println("  " + line));
            }
        }
    }

    private static SearchRequest request(String q, Map<String, String> filters) {
        Map<String, String[]> p = new HashMap<>();
        if (!q.isEmpty()) {
            p.put("q", new String[] {q});
        }
        filters.forEach((k, v) -> p.put(k, new String[] {v}));
        return SearchRequest.parse(p);
    }

    /** Realistic documents: who sends what to whom, when, and in which words. */
    static final class Generator {

        static final String[] ZH = ("市场 经济 贸易 合作 发展 投资 企业 项目 政策 进口 出口 电信 数字 服务 产业 统计 调研 报告 通知 会议 "
                + "双边 多边 协定 谈判 关税 物流 能源 农业 制造 金融 银行 货币 汇率 增长 下降 同比 环比 季度 年度 数据 分析 情况 "
                + "问题 建议 措施 工作 领导 部门 机构 驻外 使馆 经商处 商务 参赞 国家 地区 欧洲 非洲 亚洲 美洲 大洋洲 中东 "
                + "基础设施 港口 铁路 公路 机场 电力 光伏 风电 汽车 电子 纺织 化工 医药 食品 旅游 教育 科技 创新 人工智能 "
                + "通信 网络 安全 标准 认证 准入 审查 监管 法律 法规 税收 补贴 反倾销 调查 争端 解决 机制 框架 倡议 一带一路 "
                + "经贸 交流 展会 博览会 论坛 代表团 访问 考察 签署 备忘录 协议 合同 招标 采购 承包 工程 劳务 园区 自贸区 "
                + "海关 检验 检疫 许可 配额 进一步 加强 推动 促进 深化 落实 研究 部署 报送 汇总 及时 有关 各 请 于 前 本月 底").split(" ");
        static final String[] EN = ("trade market investment cooperation economic development policy export import growth report "
                + "the of and to in for on with by from at as is are was be this that office embassy ministry department "
                + "agreement negotiation tariff logistics energy agriculture manufacturing finance bank currency exchange rate "
                + "quarter annual data analysis situation issue proposal measure infrastructure port railway power solar wind "
                + "automotive electronics textile chemical pharmaceutical food tourism education technology innovation network "
                + "security standard certification access review regulation law tax subsidy dispute mechanism framework "
                + "initiative exhibition forum delegation visit memorandum contract tender procurement project zone customs "
                + "inspection license quota please submit by end of month relevant statistics survey telecom digital services").split(" ");
        private static final String[] TYPES = {"NOTICE", "REQUEST", "SURVEY_REQUEST", "REPORT", "REPLY", "STATISTICS", "BULLETIN"};
        private static final String RARE_CHARS = "甘肃青海宁夏新疆西藏云贵川渝湘鄂赣皖闽浙苏鲁豫冀晋蒙辽吉黑琼桂粤港澳台岚峰岭溪泉湖岛湾洲屿";
        private static final String[] SYLLABLES = {"ka", "lo", "mi", "ren", "tor", "vas", "zel", "nik", "dor", "sha", "pel", "qu",
                "bri", "mon", "tek", "ar", "ix", "ul", "gar", "fen"};

        private final List<Organization> orgs;
        private final List<Organization> hq;
        private final List<Organization> offices;
        private final UUID blob;
        private final Random random = new Random(System.nanoTime());
        private final Instant start = Instant.parse("2022-01-01T00:00:00Z");
        private final long span = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond() - start.getEpochSecond();
        private long sequence;

        /** {@code first}: documents already there (their numbers are not used again). */
        Generator(List<Organization> orgs, UUID blob, long first) {
            this.sequence = first;
            this.orgs = orgs;
            this.hq = orgs.stream().filter(o -> o.kind() == Organization.Kind.HQ_DEPARTMENT).toList();
            this.offices = orgs.stream().filter(o -> o.kind() == Organization.Kind.OVERSEAS_OFFICE).toList();
            this.blob = blob;
        }

        /** A place name only about one document in 10,000 holds. */
        static String rareZh(int i) {
            return "" + RARE_CHARS.charAt(i % RARE_CHARS.length()) + RARE_CHARS.charAt((i / RARE_CHARS.length()) % RARE_CHARS.length())
                    + RARE_CHARS.charAt((i / (RARE_CHARS.length() * RARE_CHARS.length())) % RARE_CHARS.length()) + "公司";
        }

        static String rareEn(int i) {
            return SYLLABLES[i % 20] + SYLLABLES[(i / 20) % 20] + SYLLABLES[(i / 400) % 20] + "corp";
        }

        static final class Batch {
            final StringBuilder documents = new StringBuilder();
            final StringBuilder recipients = new StringBuilder();
            final StringBuilder texts = new StringBuilder();
            final StringBuilder staging = new StringBuilder();
            final List<SearchIndex.Entry> entries = new ArrayList<>();
            long chars;
        }

        Batch batch(int size) {
            Batch b = new Batch();
            for (int i = 0; i < size; i++) {
                one(b);
            }
            return b;
        }

        private String zipf(String[] words) {
            double r = random.nextDouble();
            return words[(int) (words.length * r * r * r)];
        }

        private void one(Batch b) {
            long seq = ++sequence;
            boolean fromHq = random.nextDouble() < 0.5;
            Organization sender = fromHq ? hq.get(random.nextInt(hq.size())) : offices.get(random.nextInt(offices.size()));
            List<String> to = new ArrayList<>();
            int fan = random.nextDouble() < 0.05 ? 20 + random.nextInt(40) : 1 + random.nextInt(3);
            List<Organization> pool = fromHq ? offices : (random.nextBoolean() ? hq : orgs);
            fan = Math.min(fan, pool.size() - 1);
            while (to.size() < fan) {
                String code = pool.get(random.nextInt(pool.size())).code().value();
                if (!code.equals(sender.code().value()) && !to.contains(code)) {
                    to.add(code);
                }
            }
            Instant at = start.plusSeconds((long) (random.nextDouble() * span));
            int year = at.atZone(ZoneOffset.ofHours(8)).getYear();
            String number = sender.nameZh().substring(0, Math.min(2, sender.nameZh().length())) + "函〔" + year + "〕" + seq + "号";
            String type = TYPES[random.nextInt(TYPES.length)];
            String classification = random.nextDouble() < 0.4 ? "PUBLIC" : "INTERNAL";
            double s = random.nextDouble();
            String scope = s < 0.5 ? "EXCHANGE" : s < 0.8 ? "ALL_HQ" : "RECIPIENTS";
            String precedence = random.nextDouble() < 0.8 ? "ROUTINE" : random.nextBoolean() ? "URGENT" : "FLASH";
            boolean chinese = random.nextDouble() < 0.75;
            int rare = random.nextInt(RARE_NAMES);
            String subject = "关于" + zipf(ZH) + zipf(ZH) + zipf(ZH) + "的" + (chinese ? "通知" : "报告 — " + zipf(EN) + " " + zipf(EN));
            StringBuilder body = new StringBuilder();
            if (chinese) {
                int sentences = 8 + random.nextInt(12);
                for (int k = 0; k < sentences; k++) {
                    int words = 5 + random.nextInt(8);
                    for (int w = 0; w < words; w++) {
                        body.append(zipf(ZH));
                    }
                    if (k == sentences / 2) {
                        body.append(rareZh(rare)).append("与").append(rareEn(rare)).append(" ");
                    }
                    if (random.nextDouble() < 0.2) {
                        body.append(" ").append(zipf(EN)).append(" ");
                    }
                    body.append(k % 4 == 3 ? "。\n" : "，");
                }
            } else {
                int words = 60 + random.nextInt(80);
                for (int w = 0; w < words; w++) {
                    body.append(zipf(EN)).append(w % 15 == 14 ? ".\n" : " ");
                    if (w == words / 2) {
                        body.append(rareEn(rare)).append(" (").append(rareZh(rare)).append(") ");
                    }
                }
            }
            String text = body.toString();
            b.chars += text.length();
            UUID id = UUID.randomUUID();
            String ts = at.toString();
            row(b.documents, id, number, sender.code().value(), year, type, subject, classification, precedence, scope,
                    "urn:pouch:staff:" + sender.code().value() + ":bench", ts, ts, "00", blob, "\\\\x00", 1000, 0, "1.2.840.113549.1.7.1",
                    "\\\\x00", "\\\\x00", "\\\\x00");
            for (int k = 0; k < to.size(); k++) {
                row(b.recipients, id, to.get(k), k == 0 || random.nextBoolean() ? "ACTION" : "INFORMATION", "SIGNED_FOR", ts);
            }
            row(b.texts, id, text, "f");
            List<String> parties = new ArrayList<>(to);
            parties.addFirst(sender.code().value());
            String head = number + "\n" + subject;
            row(b.staging, id, number, SearchText.numberKey(number), sender.code().value(), sender.region().name(), type,
                    classification, precedence, scope, "{" + String.join(",", parties) + "}", ts, SearchText.bigrams(head),
                    SearchText.bigrams(head + "\n" + text), subject + "\n" + text);
            b.entries.add(new SearchIndex.Entry(id, number, sender.code().value(), type, classification, precedence, scope, to,
                    at, subject, text));
        }

        /** One line of COPY's text format. */
        private static void row(StringBuilder out, Object... values) {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    out.append('\t');
                }
                String v = String.valueOf(values[i]);
                if (v.startsWith("\\\\x")) {
                    out.append(v); // a bytea literal, already escaped
                    continue;
                }
                for (int k = 0; k < v.length(); k++) {
                    char c = v.charAt(k);
                    switch (c) {
                        case '\\' -> out.append("\\\\");
                        case '\t' -> out.append("\\t");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        default -> out.append(c);
                    }
                }
            }
            out.append('\n');
        }
    }
}
