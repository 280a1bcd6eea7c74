package dev.pouch.protocol.transport;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.Hello;
import dev.pouch.protocol.stream.MemoryStreamStore;
import dev.pouch.protocol.stream.StreamStore;
import dev.pouch.protocol.testing.Frames;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes everything a peer can send into the server pipeline (framing, protobuf, records,
 * session, streams). Whatever arrives, the pipeline must never throw past its last handler, and
 * everything it writes back must be a well-formed frame.
 *
 * <p>In a normal test run the seed corpus in
 * {@code src/test/resources/dev/pouch/protocol/transport/InboundDecoderFuzzTestInputs/inboundPipeline}
 * is replayed. To fuzz for real (writes findings as {@code crash-*} files, ignored by git):
 * {@code JAZZER_FUZZ=1 ./mvnw -pl protocol -am test -Dtest=InboundDecoderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
class InboundDecoderFuzzTest {

    private static final Identity PEER = Identity.staff(OrgCode.of("FR-EMB"), "fuzzer");

    private static final ExchangeHandler APPLICATION = new ExchangeHandler() {
        private final MemoryStreamStore store = new MemoryStreamStore(1 << 20);

        @Override
        public StreamStore streamStore() {
            return store;
        }

        @Override
        public void handle(Session session, Framed request) {
            throw new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "fuzzing");
        }
    };

    @FuzzTest(maxDuration = "5m")
    void inboundPipeline(FuzzedDataProvider data) {
        EmbeddedChannel channel = new EmbeddedChannel(
                ServerChannelInitializer.withoutTls(Limits.defaults(), APPLICATION, Runnable::run, PEER));
        try {
            if (data.consumeBoolean()) {
                channel.writeInbound(Unpooled.wrappedBuffer(Frames.wire(1, new Hello(1, 1, "fuzz"))));
            }
            while (data.remainingBytes() > 0 && channel.isActive()) {
                byte[] piece = data.consumeBytes(data.consumeInt(1, 4096));
                channel.writeInbound(Unpooled.wrappedBuffer(piece));
                channel.runPendingTasks();
            }
            channel.checkException();
            // Whatever we answered must decode as frames.
            Frames.written(channel);
        } finally {
            channel.finishAndReleaseAll();
        }
        assertThat(channel.isOpen()).isFalse();
    }
}
