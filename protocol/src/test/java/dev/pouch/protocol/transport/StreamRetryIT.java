package dev.pouch.protocol.transport;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.crypto.testing.TestPki;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.stream.StreamSource;
import dev.pouch.protocol.testing.TestExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller that gives up waiting for an upload (its own timeout, on a slow link or a busy
 * machine) and sends the same stream again while the first is still under way waits for that
 * stream: the object crosses the link once, and both callers learn that it arrived. (It was
 * once refused as "already sending", which ended a 1,061-file batch half way.)
 */
class StreamRetryIT {

    private static final TestPki PKI = TestPki.create();
    private static TestExchange exchange;

    @BeforeAll
    static void start() {
        exchange = new TestExchange(PKI, Limits.defaults());
    }

    @AfterAll
    static void stop() {
        exchange.close();
    }

    @Test
    void sending_a_stream_again_while_it_is_under_way_joins_it() throws Exception {
        KeyCredential staff = PKI.staff("IT-EMB", "giulia.rossi");
        byte[] content = new byte[16 * Limits.defaults().maxChunkBytes()];
        new Random(11).nextBytes(content);
        StreamSource all = StreamSource.of(content);
        AtomicLong read = new AtomicLong();
        StreamSource counting = new StreamSource() {
            @Override
            public long size() {
                return all.size();
            }

            @Override
            public ByteString read(long offset, int length) {
                ByteString data = all.read(offset, length);
                read.addAndGet(data.size());
                return data;
            }

            @Override
            public Sha256 sha256() {
                return all.sha256();
            }
        };
        String id = "up/" + UUID.randomUUID() + "/main";
        try (ExchangeConnection c = exchange.connect(staff, Limits.defaults())) {
            Session session = c.awaitSession(Duration.ofSeconds(10));
            CompletableFuture<Void> first = session.sendStream(id, StreamPurpose.UPLOAD, counting, 0);
            CompletableFuture<Void> again = session.sendStream(id, StreamPurpose.UPLOAD, counting, 0);
            again.get(30, TimeUnit.SECONDS);
            assertThat(first).isCompleted();
            assertThat(exchange.store().completed(Identity.of(staff.certificate()), id).orElseThrow()).isEqualTo(content);
            assertThat(read.get()).as("bytes read from the source").isEqualTo(content.length);
        }
    }
}
