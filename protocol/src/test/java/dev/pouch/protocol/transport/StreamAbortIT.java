package dev.pouch.protocol.transport;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.crypto.testing.TestPki;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Fetch;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.message.StreamBegin;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.stream.StreamSource;
import dev.pouch.protocol.testing.TestExchange;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A sender whose source fails in the middle of a stream (a disk error) tells the receiver at once
 * with a stream failure ({@link ErrorCode#STREAM_ABORTED}), in both directions, instead of leaving
 * it to wait for chunks that will not come until a request times out. The connection stays open,
 * what arrived stays, and the next attempt resumes from there.
 */
class StreamAbortIT {

    private static final TestPki PKI = TestPki.create();
    /** Far shorter than any request timeout: the receiver hears of the abort, it does not time out. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
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
    void an_upload_whose_source_fails_is_aborted_at_the_receiver_and_resumes_from_what_arrived() throws Exception {
        KeyCredential staff = PKI.staff("FR-EMB", "marie.dupont");
        int chunk = Limits.defaults().maxChunkBytes();
        byte[] content = new byte[6 * chunk];
        new Random(7).nextBytes(content);
        String id = "upload-" + UUID.randomUUID();
        try (ExchangeConnection c = exchange.connect(staff, Limits.defaults())) {
            Session session = c.awaitSession(Duration.ofSeconds(10));
            Identity me = Identity.of(staff.certificate());

            CompletableFuture<Void> first = session.sendStream(id, StreamPurpose.UPLOAD, TestExchange.failingAfter(content, 2L * chunk), 0);
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("test: the source's disk failed at " + 2L * chunk);
            Awaitility.await().atMost(PROMPTLY).until(() -> exchange.serverAborts().containsKey(id));
            ProtocolException why = exchange.serverAborts().get(id);
            assertThat(why.code()).isEqualTo(ErrorCode.STREAM_ABORTED);
            assertThat(why.code().retryable()).isTrue();
            assertThat(exchange.store().isComplete(me, id)).isFalse();
            Awaitility.await().atMost(PROMPTLY).until(() -> exchange.store().held(me, id) == 2L * chunk);

            // The same connection goes on: the next attempt starts where the receiver got to.
            AtomicLong firstRead = new AtomicLong(-1);
            StreamSource good = StreamSource.of(content);
            StreamSource counting = new StreamSource() {
                @Override
                public long size() {
                    return good.size();
                }

                @Override
                public ByteString read(long offset, int length) {
                    firstRead.compareAndSet(-1, offset);
                    return good.read(offset, length);
                }

                @Override
                public Sha256 sha256() {
                    return good.sha256();
                }
            };
            session.sendStream(id, StreamPurpose.UPLOAD, counting, 0).get(20, TimeUnit.SECONDS);
            assertThat(firstRead.get()).isEqualTo(2L * chunk);
            assertThat(exchange.store().completed(me, id).orElseThrow()).isEqualTo(content);
        }
    }

    @Test
    void a_fetched_stream_whose_source_fails_at_the_exchange_is_aborted_at_the_client() throws Exception {
        KeyCredential staff = PKI.staff("DE-EMB", "klaus.weber");
        UUID document = UUID.randomUUID();
        try (ExchangeConnection c = exchange.connect(staff, Limits.defaults())) {
            Session session = c.awaitSession(Duration.ofSeconds(10));
            Message begin = session.request(new Fetch(document, TestExchange.FAILING_PART, 0)).get(10, TimeUnit.SECONDS);
            assertThat(begin).isInstanceOf(StreamBegin.class);
            String id = ((StreamBegin) begin).streamId();

            Awaitility.await().atMost(PROMPTLY).until(() -> exchange.clientAborts().containsKey(id));
            assertThat(exchange.clientAborts().get(id).code()).isEqualTo(ErrorCode.STREAM_ABORTED);
            assertThat(exchange.clientStore().isComplete(session.peer(), id)).isFalse();

            // The connection is still good for the next request.
            Message other = session.request(new Fetch(document, 1, 0)).get(10, TimeUnit.SECONDS);
            assertThat(other).isInstanceOf(StreamBegin.class);
        }
    }
}
