package dev.pouch.protocol.transport;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.crypto.testing.TestPki;
import dev.pouch.protocol.stream.StreamSource;
import dev.pouch.protocol.testing.CuttingProxy;
import dev.pouch.protocol.testing.TestExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream over a link that breaks several times: it completes with the right digest, and what
 * crossed the link twice is at most one chunk per break (the chunk cut in half), because the
 * receiver stores chunk by chunk and the sender resumes from what it stored.
 */
class ResumeIT {

    private static final TestPki PKI = TestPki.create();
    private static final int SIZE = 6 * 1024 * 1024;
    private static final int CHUNK = 256 * 1024;
    private static TestExchange exchange;

    @BeforeAll
    static void start() {
        exchange = new TestExchange(PKI, Limits.defaults());
    }

    @AfterAll
    static void stop() {
        exchange.close();
    }

    /** Counts what the sender reads from its source, i.e. what it puts on the wire. */
    private static StreamSource counting(StreamSource source, AtomicLong read) {
        return new StreamSource() {
            @Override
            public long size() {
                return source.size();
            }

            @Override
            public ByteString read(long offset, int length) {
                ByteString data = source.read(offset, length);
                read.addAndGet(data.size());
                return data;
            }

            @Override
            public Sha256 sha256() {
                return source.sha256();
            }
        };
    }

    private long transferThrough(CuttingProxy proxy, KeyCredential staff, String streamId, byte[] data, AtomicLong read)
            throws Exception {
        Limits limits = Limits.defaults();
        try (ExchangeConnection client = ExchangeConnection.open(new ExchangeConnection.Config("127.0.0.1", proxy.port(),
                staff, PKI.validator(), limits, new NoRequests(), java.util.concurrent.ForkJoinPool.commonPool(), null,
                "resume-test", Duration.ofMillis(20), Duration.ofMillis(200), TlsEngine.AUTO))) {
            client.sendStream(streamId, counting(StreamSource.of(data), read)).get(60, TimeUnit.SECONDS);
        }
        return proxy.bytesToServer();
    }

    @Test
    void streamInterruptedFiveTimes_completesWithTheRightDigest_resendingAtMostOneChunkPerBreak() throws Exception {
        byte[] data = new byte[SIZE];
        new Random(3).nextBytes(data);
        KeyCredential staff = PKI.staff("DE-EMB", "klaus.weber");
        Identity owner = Identity.staff(OrgCode.of("DE-EMB"), "klaus.weber");

        long baseline;
        try (CuttingProxy whole = new CuttingProxy(exchange.port(), 0, 0)) {
            baseline = transferThrough(whole, staff, "baseline/main", data, new AtomicLong());
        }
        long handshake;
        try (CuttingProxy empty = new CuttingProxy(exchange.port(), 0, 0);
             ExchangeConnection c = ExchangeConnection.open(new ExchangeConnection.Config("127.0.0.1", empty.port(), staff,
                     PKI.validator(), Limits.defaults(), new NoRequests(), java.util.concurrent.ForkJoinPool.commonPool(),
                     null, "resume-test", Duration.ofMillis(20), Duration.ofMillis(200), TlsEngine.AUTO))) {
            c.awaitSession(Duration.ofSeconds(10));
            Thread.sleep(200);
            handshake = empty.bytesToServer();
        }

        int breaks = 5;
        AtomicLong read = new AtomicLong();
        long forwarded;
        // Each connection may carry about 1.1 MiB before the link breaks: a break falls inside a chunk.
        try (CuttingProxy flaky = new CuttingProxy(exchange.port(), breaks, 1_150_000 + 37)) {
            forwarded = transferThrough(flaky, staff, "flaky/main", data, read);
            assertThat(flaky.connections()).as("reconnected after every break").isEqualTo(breaks + 1);
        }

        assertThat(exchange.store().completed(owner, "flaky/main")).as("complete with the right digest").hasValue(data);
        long resentOverLink = forwarded - baseline - breaks * handshake;
        System.out.printf("baseline=%d forwarded=%d handshake=%d resentOverLink=%d senderRead=%d (size %d)%n",
                baseline, forwarded, handshake, resentOverLink, read.get(), SIZE);
        assertThat(resentOverLink).as("bytes that crossed the link twice").isLessThanOrEqualTo((long) breaks * (CHUNK + 1024));
        assertThat(read.get() - SIZE).as("bytes the sender produced twice, bounded by its window")
                .isLessThanOrEqualTo((long) breaks * Limits.defaults().windowChunks() * CHUNK);
    }

    private static final class NoRequests implements ExchangeHandler {
        private final dev.pouch.protocol.stream.MemoryStreamStore store = new dev.pouch.protocol.stream.MemoryStreamStore(1);

        @Override
        public dev.pouch.protocol.stream.StreamStore streamStore() {
            return store;
        }

        @Override
        public void handle(Session session, dev.pouch.protocol.message.Framed request) {
            throw new dev.pouch.protocol.ProtocolException(dev.pouch.protocol.ErrorCode.UNEXPECTED_MESSAGE, "none");
        }
    }
}
