package dev.pouch.server.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pouch.crypto.Password;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import java.util.Map;
import java.util.Optional;

/**
 * Two connection pools: the application's, as the non-superuser application role, and a small one
 * as the schema owner for Flyway. With no {@code pouch.db.url} the database is embedded.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    /** The embedded database, if one runs, and where to connect either way. */
    record Database(Optional<EmbeddedDatabase> embedded, EmbeddedDatabase.Endpoints endpoints) implements AutoCloseable {
        @Override
        public void close() {
            embedded.ifPresent(EmbeddedDatabase::close);
        }
    }

    @Bean(destroyMethod = "close")
    Database database(PouchProperties properties) {
        PouchProperties.Db db = properties.db();
        if (db.embedded()) {
            EmbeddedDatabase embedded = EmbeddedDatabase.start(properties.dataDir(), db.username(), db.ownerUsername(), db.viewerRole());
            return new Database(Optional.of(embedded), embedded.endpoints());
        }
        Password app = Secrets.read(db.passwordFile());
        Password owner = Secrets.read(db.ownerPasswordFile());
        return new Database(Optional.empty(), new EmbeddedDatabase.Endpoints(db.url(), db.username(), app,
                db.ownerUsername(), owner));
    }

    @Bean(destroyMethod = "close")
    @Primary
    HikariDataSource dataSource(Database database, PouchProperties properties) {
        return pool("pouch-app", database.endpoints().url(), database.endpoints().appUser(),
                database.endpoints().appPassword(), properties.db().poolSize());
    }

    @Bean(destroyMethod = "close")
    @FlywayDataSource
    HikariDataSource flywayDataSource(Database database) {
        return pool("pouch-migrations", database.endpoints().url(), database.endpoints().ownerUser(),
                database.endpoints().ownerPassword(), 2);
    }

    /** Migrations grant to the application role by name. */
    @Bean
    FlywayConfigurationCustomizer roles(Database database, PouchProperties properties) {
        return configuration -> configuration.placeholders(Map.of("app_role", database.endpoints().appUser(),
                "viewer_role", properties.db().viewerRole()));
    }

    private static HikariDataSource pool(String name, String url, String user, Password password, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(Secrets.reveal(password));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setAutoCommit(true);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

}
