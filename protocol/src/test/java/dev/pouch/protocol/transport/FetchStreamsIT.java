package dev.pouch.protocol.transport;

import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.protocol.message.Fetch;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.message.StreamBegin;
import dev.pouch.protocol.testing.TestExchange;
import dev.pouch.crypto.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request answered with a stream (a fetch: the reply is the stream's begin) counts as answered.
 * It once did not: each fetch stayed "awaiting the application" on the server, which stopped
 * reading the connection after 64 of them — a 1 GiB document (64 parts) stalled on its last part.
 */
class FetchStreamsIT {

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
    void more_fetches_than_the_in_flight_limit_each_arrive_on_one_connection() throws Exception {
        KeyCredential staff = PKI.staff("FR-EMB", "marie.dupont");
        UUID document = UUID.randomUUID();
        try (ExchangeConnection c = exchange.connect(staff, Limits.defaults())) {
            Session session = c.awaitSession(Duration.ofSeconds(10));
            Identity server = session.peer();
            int fetches = Session.MAX_APPLICATION_IN_FLIGHT * 2 + 1;
            for (int i = 0; i < fetches; i++) {
                Message begin = session.request(new Fetch(document, i, 0)).get(10, TimeUnit.SECONDS);
                assertThat(begin).isInstanceOf(StreamBegin.class);
                String id = ((StreamBegin) begin).streamId();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!exchange.clientStore().isComplete(server, id)) {
                    assertThat(System.nanoTime()).as("fetch %d of %d arrives", i + 1, fetches).isLessThan(deadline);
                    Thread.sleep(5);
                }
                assertThat(exchange.clientStore().completed(server, id).orElseThrow()).hasSize(1024).containsOnly((byte) i);
            }
        }
    }
}
