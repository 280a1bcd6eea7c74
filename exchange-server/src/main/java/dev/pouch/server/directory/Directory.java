package dev.pouch.server.directory;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.server.config.PouchProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The organizations of the exchange, loaded at start-up from the directory CSV into the database
 * and kept in memory: every submission checks its recipients against it.
 */
@Service
public class Directory {

    private static final Logger log = LoggerFactory.getLogger(Directory.class);
    public static final String DEFAULT_CSV = "classpath:directory/organizations.csv";

    private final Map<OrgCode, Organization> organizations;

    public Directory(JdbcTemplate jdbc, PouchProperties properties) {
        String location = System.getProperty("pouch.directory.csv", DEFAULT_CSV);
        List<Organization> loaded = load(location);
        for (Organization o : loaded) {
            jdbc.update("""
                    INSERT INTO organization (code, kind, region, country, city, name_zh, name_en, timezone)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind, region = EXCLUDED.region,
                        country = EXCLUDED.country, city = EXCLUDED.city, name_zh = EXCLUDED.name_zh,
                        name_en = EXCLUDED.name_en, timezone = EXCLUDED.timezone""",
                    o.code().value(), o.kind().name(), o.region().name(), o.country(), o.city(), o.nameZh(), o.nameEn(),
                    o.timezone().getId());
        }
        this.organizations = loaded.stream().collect(Collectors.toUnmodifiableMap(Organization::code, Function.identity()));
        log.info("Directory: {} organizations ({} HQ departments, {} overseas offices) from {}", loaded.size(),
                loaded.stream().filter(o -> o.kind() == Organization.Kind.HQ_DEPARTMENT).count(),
                loaded.stream().filter(o -> o.kind() == Organization.Kind.OVERSEAS_OFFICE).count(), location);
    }

    private static List<Organization> load(String location) {
        Resource resource = new DefaultResourceLoader().getResource(location);
        try (InputStream in = resource.getInputStream()) {
            return DirectoryCsv.read(in, location);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the organization directory " + location, e);
        }
    }

    public Optional<Organization> find(OrgCode code) {
        return Optional.ofNullable(organizations.get(code));
    }

    public boolean exists(OrgCode code) {
        return organizations.containsKey(code);
    }

    public Collection<Organization> all() {
        return organizations.values().stream().sorted(Comparator.comparing(o -> o.code().value())).toList();
    }

    public List<Organization> inRegion(Region region) {
        return organizations.values().stream().filter(o -> o.region() == region)
                .sorted(Comparator.comparing(o -> o.code().value())).toList();
    }
}
