package dev.pouch.server.archive;

import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** An upload nobody submits is removed after a while, with everything it stored. */
class UploadExpiryIT {

    @AfterAll
    static void disconnect() {
        TestServer.shared().closeOffices();
    }

    @Test
    void an_abandoned_upload_is_removed_with_its_chunks_but_a_fresh_one_is_kept() {
        TestServer server = TestServer.shared();
        TestOffice office = server.office("HQ-QL").awaitConnected();
        byte[] bytes = new byte[600_000];
        new Random(3).nextBytes(bytes);
        office.upload("up/abandoned", bytes);
        String owner = "urn:pouch:staff:HQ-QL:officer";
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM upload WHERE owner = ?", Long.class, owner)).isOne();

        UploadStore uploads = server.bean(UploadStore.class);
        assertThat(uploads.expireOlderThan(Duration.ofDays(7))).isZero();
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM upload WHERE owner = ?", Long.class, owner)).isOne();

        server.jdbc().update("UPDATE upload SET updated_at = now() - interval '8 days' WHERE owner = ?", owner);
        assertThat(uploads.expireOlderThan(Duration.ofDays(7))).isOne();
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM upload WHERE owner = ?", Long.class, owner)).isZero();
        assertThat(server.orphanBlobs()).isZero();
        assertThat(server.jdbc().queryForObject("SELECT count(*) FROM blob_chunk c WHERE NOT EXISTS "
                + "(SELECT 1 FROM blob b WHERE b.id = c.blob_id)", Long.class)).isZero();
    }
}
