package dev.pouch.server.config;

import dev.pouch.crypto.document.Classification;
import dev.pouch.protocol.transport.TlsEngine;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything that configures an exchange node, bound from {@code pouch.*} and validated at
 * start-up, so that a wrong setting stops the server with a message instead of failing later.
 * Secrets are referenced as files, never written inline.
 *
 * @param dataDir  where embedded services, keys and demo credentials live
 * @param ceiling  the highest classification this exchange is accredited for (PUBLIC or INTERNAL)
 * @param demo     create demo staff credentials and organization keys on first start
 * @param demoOrganizationKeys in demo mode, also write every organization's private keys to one
 *                 demo file (for the load generator), in the background
 */
@ConfigurationProperties(prefix = "pouch")
@Validated
public record PouchProperties(
        @NotNull @DefaultValue("./data") Path dataDir,
        @NotNull @DefaultValue("INTERNAL") Classification ceiling,
        @DefaultValue("true") boolean demo,
        @DefaultValue("true") boolean demoOrganizationKeys,
        @Valid @NotNull @DefaultValue Exchange exchange,
        @Valid @NotNull @DefaultValue Db db,
        @Valid @NotNull @DefaultValue Broker broker,
        @Valid @NotNull @DefaultValue Delivery delivery,
        @Valid @NotNull @DefaultValue Inspection inspection,
        @Valid @NotNull @DefaultValue Audit audit,
        @Valid @NotNull @DefaultValue Uploads uploads,
        @Valid @NotNull @DefaultValue Surveys surveys,
        @Valid @NotNull @DefaultValue Search search) {

    @AssertTrue(message = "pouch.ceiling must be PUBLIC or INTERNAL: the exchange is never accredited for SECRET and above")
    public boolean isCeilingAccreditable() {
        return ceiling == null || ceiling.isWithin(Classification.INTERNAL);
    }

    /** The exchange protocol endpoint. */
    public record Exchange(
            @NotBlank @DefaultValue("127.0.0.1") String host,
            @Min(0) @Max(65535) @DefaultValue("7443") int port,
            @Min(0) @Max(64) @DefaultValue("0") int ioThreads,
            @Min(1) @DefaultValue("20000") int maxConnections,
            @NotNull @DefaultValue("AUTO") TlsEngine tlsEngine,
            @Min(1) @Max(256) @DefaultValue("8") int workerThreads) {
    }

    /**
     * PostgreSQL. Empty {@code url}: an embedded PostgreSQL under {@code dataDir/postgres}.
     * Otherwise the application connects as {@code username} (a non-superuser), and migrations run
     * as {@code ownerUsername}, the owner of the schema. Staff-facing archive reads run as
     * {@code viewerRole} (NOLOGIN, granted to {@code username}) under row-level security.
     */
    public record Db(
            @DefaultValue("") String url,
            @DefaultValue("pouch_app") String username,
            Path passwordFile,
            @DefaultValue("pouch_owner") String ownerUsername,
            Path ownerPasswordFile,
            @Min(1) @Max(200) @DefaultValue("16") int poolSize,
            @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}", message = "pouch.db.viewer-role must be a plain role name")
            @DefaultValue("pouch_viewer") String viewerRole) {

        public boolean embedded() {
            return url == null || url.isBlank();
        }

        @AssertTrue(message = "pouch.db.password-file and pouch.db.owner-password-file are required with pouch.db.url")
        public boolean isExternalComplete() {
            return embedded() || (passwordFile != null && ownerPasswordFile != null);
        }
    }

    /**
     * Artemis. Empty {@code url}: an embedded broker with a persistent journal under
     * {@code dataDir/artemis}. Otherwise the core URL of the broker, or several (comma-separated)
     * for a cluster, e.g. {@code tcp://broker-a:61616,tcp://broker-b:61616}. The embedded broker
     * keeps at most {@code embeddedMemory} of messages in the heap and pages the rest to disk (a
     * batch of 1,061 documents to 207 offices queues 219,627 messages: with the paging limits in
     * {@link dev.pouch.server.config.EmbeddedBroker} the backlog costs at most ~75 MiB of heap, see
     * docs/benchmarks.md).
     */
    public record Broker(
            @NotNull @DefaultValue List<@NotBlank @Pattern(regexp = "(tcp|vm)://.+",
                    message = "pouch.broker.url must be Artemis core URLs such as tcp://broker:61616") String> url,
            @DefaultValue("") String username,
            Path passwordFile,
            @Min(1) @Max(100) @DefaultValue("5") int maxDeliveryAttempts,
            @NotNull @DefaultValue("2s") Duration redeliveryDelay,
            @NotNull @DefaultValue("16MB") DataSize embeddedMemory) {

        public boolean embedded() {
            return url.isEmpty();
        }

        @AssertTrue(message = "pouch.broker.password-file is required with pouch.broker.username")
        public boolean isCredentialComplete() {
            return username == null || username.isBlank() || passwordFile != null;
        }
    }

    /** Delivery to connected offices. */
    public record Delivery(
            @NotNull @DefaultValue("10m") Duration ackTimeout) {
    }

    /** Bounds on reading attachments (type detection, text extraction). */
    public record Inspection(
            @NotNull @DefaultValue("20s") Duration timeout,
            @Min(1024) @DefaultValue("2000000") int maxTextCharacters,
            @Min(1) @Max(8) @DefaultValue("2") int concurrency) {
    }

    /** Uploads in progress. */
    public record Uploads(
            @NotNull @DefaultValue("7d") Duration expireAfter) {
    }

    /**
     * Survey reminders: offices that have not responded are reminded {@code reminderBefore} the
     * deadline (if they were asked earlier than that) and again once it has passed; the exchange
     * looks for due reminders every {@code checkInterval}.
     */
    public record Surveys(
            @NotNull @DefaultValue("2d") Duration reminderBefore,
            @NotNull @DefaultValue("1m") Duration checkInterval) {
    }

    /**
     * The shared archive's search: a search counts, groups into facets and orders by relevance at
     * most {@code maxMatches} matches (the newest); beyond that its count is a lower bound.
     */
    public record Search(
            @Min(100) @Max(1_000_000) @DefaultValue("1000") int maxMatches) {
    }

    /** The audit chain. */
    public record Audit(
            @NotNull @DefaultValue("1m") Duration checkpointInterval) {
    }
}
