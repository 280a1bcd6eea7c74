package dev.pouch.protocol.transport;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.codec.FrameCodec;
import dev.pouch.protocol.message.Chunk;
import dev.pouch.protocol.message.Failure;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.Hello;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.message.Ping;
import dev.pouch.protocol.message.Pong;
import dev.pouch.protocol.message.StatusQuery;
import dev.pouch.protocol.message.StreamBegin;
import dev.pouch.protocol.message.StreamEnd;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.message.StreamState;
import dev.pouch.protocol.message.Welcome;
import dev.pouch.protocol.stream.MemoryStreamStore;
import dev.pouch.protocol.stream.StreamStore;
import dev.pouch.protocol.testing.Frames;
import dev.pouch.protocol.testing.NoLeaks;
import dev.pouch.protocol.testing.SampleMessages;
import dev.pouch.protocol.wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server pipeline (without TLS) in an {@link EmbeddedChannel}, fed raw bytes as a hostile or
 * clumsy peer would send them, with leak detection at PARANOID.
 */
@ExtendWith(NoLeaks.class)
class SessionCodecTest {

    private static final Identity PEER = Identity.staff(OrgCode.of("FR-EMB"), "marie.dupont");
    private static final Executor DIRECT = Runnable::run;

    private final MemoryStreamStore store = new MemoryStreamStore(1 << 20);
    private final List<Framed> handled = new ArrayList<>();

    private final ExchangeHandler application = new ExchangeHandler() {
        @Override
        public StreamStore streamStore() {
            return store;
        }

        @Override
        public void handle(Session session, Framed request) {
            handled.add(request);
            session.reply(request, new Pong(7));
        }
    };

    private EmbeddedChannel server(Executor executor) {
        return new EmbeddedChannel(ServerChannelInitializer.withoutTls(Limits.defaults(), application, executor, PEER));
    }

    private static void feed(EmbeddedChannel ch, byte[]... frames) {
        for (byte[] f : frames) {
            ch.writeInbound(Unpooled.wrappedBuffer(f));
        }
        ch.runPendingTasks();
    }

    private static EmbeddedChannel helloed(EmbeddedChannel ch) {
        feed(ch, Frames.wire(1, new Hello(1, 1, "test")));
        assertThat(Frames.written(ch)).singleElement().extracting(Framed::message).isInstanceOf(Welcome.class);
        return ch;
    }

    private static ErrorCode failureCode(Framed f) {
        assertThat(f.message()).isInstanceOf(Failure.class);
        return ((Failure) f.message()).knownCode().orElseThrow();
    }

    @Test
    void everyMessage_roundTripsThroughTheNettyCodecs() {
        EmbeddedChannel codec = new EmbeddedChannel(
                new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4, true), ServerChannelInitializer.PREPENDER,
                new ProtobufDecoder(Frame.getDefaultInstance()), ServerChannelInitializer.PROTOBUF_ENCODER, FrameCodec.INSTANCE);
        long id = 1;
        for (Message m : SampleMessages.all()) {
            Framed sent = new Framed(1, id++, id % 3, m);
            assertThat(codec.writeOutbound(sent)).isTrue();
            Object out;
            while ((out = codec.readOutbound()) != null) {
                codec.writeInbound(out);
            }
            assertThat((Framed) codec.readInbound()).isEqualTo(sent);
        }
        assertThat(codec.finish()).isFalse();
    }

    @Test
    void inputFedOneByteAtATime_isDecodedExactlyAsWhole() {
        EmbeddedChannel ch = server(DIRECT);
        byte[] hello = Frames.wire(1, new Hello(1, 1, "slow link"));
        byte[] ping = Frames.wire(2, new Ping(99));
        byte[] query = Frames.wire(3, new StatusQuery(java.util.UUID.randomUUID()));
        for (byte[] frame : List.of(hello, ping, query)) {
            for (byte b : frame) {
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
        }
        List<Framed> out = Frames.written(ch);
        assertThat(out).extracting(Framed::message).hasExactlyElementsOfTypes(Welcome.class, Pong.class, Pong.class);
        assertThat(out.get(1).message()).isEqualTo(new Pong(99));
        assertThat(handled).singleElement().extracting(Framed::message).isInstanceOf(StatusQuery.class);
        assertThat(ch.isActive()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void oversizedLengthPrefix_isRefusedBeforeTheBodyIsBuffered() {
        EmbeddedChannel ch = helloed(server(DIRECT));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
        ch.runPendingTasks();
        // Only the prefix has arrived: the refusal comes without waiting for (or holding) any body.
        assertThat(Frames.written(ch)).singleElement().satisfies(f -> assertThat(failureCode(f)).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void frameJustOverTheLimit_isRefused_andOneAtTheLimitIsNot() {
        EmbeddedChannel ch = helloed(server(DIRECT));
        int limit = Limits.defaults().maxFrameBytes();
        ByteBuf over = Unpooled.buffer(4).writeInt(limit + 1);
        ch.writeInbound(over);
        assertThat(Frames.written(ch)).singleElement().satisfies(f -> assertThat(failureCode(f)).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
        ch.finishAndReleaseAll();
    }

    @Test
    void corruptProtobuf_closesWithMalformedFrame() {
        EmbeddedChannel ch = helloed(server(DIRECT));
        feed(ch, Frames.prefixed(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x00}));
        assertThat(Frames.written(ch)).singleElement().satisfies(f -> assertThat(failureCode(f)).isEqualTo(ErrorCode.MALFORMED_FRAME));
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void wellFormedProtobufWithInvalidFields_closesWithMalformedFrame() {
        EmbeddedChannel ch = helloed(server(DIRECT));
        Frame badId = Frame.newBuilder().setVersion(1).setRequestId(5)
                .setStatusQuery(dev.pouch.protocol.wire.StatusQuery.newBuilder().setDocumentId(ByteString.copyFromUtf8("short")))
                .build();
        feed(ch, Frames.prefixed(badId.toByteArray()));
        assertThat(Frames.written(ch)).singleElement().satisfies(f -> assertThat(failureCode(f)).isEqualTo(ErrorCode.MALFORMED_FRAME));
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownFrameVersion_closesWithUnsupportedVersion() {
        EmbeddedChannel ch = helloed(server(DIRECT));
        feed(ch, Frames.wire(new Framed(99, 2, 0, new Ping(1))));
        assertThat(Frames.written(ch)).singleElement().satisfies(f -> assertThat(failureCode(f)).isEqualTo(ErrorCode.UNSUPPORTED_VERSION));
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void helloForVersionsThisServerDoesNotSpeak_isRefused() {
        EmbeddedChannel ch = server(DIRECT);
        feed(ch, Frames.wire(1, new Hello(2, 5, "future client")));
        assertThat(Frames.written(ch)).singleElement().satisfies(f -> assertThat(failureCode(f)).isEqualTo(ErrorCode.UNSUPPORTED_VERSION));
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void anythingBeforeHello_isRefusedWithHelloRequired() {
        EmbeddedChannel ch = server(DIRECT);
        feed(ch, Frames.wire(1, new Ping(1)));
        assertThat(Frames.written(ch)).singleElement().satisfies(f -> assertThat(failureCode(f)).isEqualTo(ErrorCode.HELLO_REQUIRED));
        assertThat(handled).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void streamIsStoredChunkByChunk_acknowledged_andCompletedWithItsDigest() {
        EmbeddedChannel ch = helloed(server(DIRECT));
        byte[] data = new byte[300_000];
        new java.util.Random(1).nextBytes(data);
        feed(ch, Frames.wire(10, new StreamBegin("doc/main", StreamPurpose.UPLOAD, data.length)));
        assertThat(Frames.written(ch)).singleElement().extracting(Framed::message).isEqualTo(new StreamState("doc/main", 0, false));
        feed(ch, Frames.wire(0, new Chunk("doc/main", 0, ByteString.copyFrom(data, 0, 200_000))),
                Frames.wire(0, new Chunk("doc/main", 200_000, ByteString.copyFrom(data, 200_000, 100_000))),
                Frames.wire(11, new StreamEnd("doc/main", Sha256.digest(data))));
        assertThat(Frames.written(ch)).extracting(Framed::message).containsExactly(
                new StreamState("doc/main", 200_000, false), new StreamState("doc/main", 300_000, false),
                new StreamState("doc/main", 300_000, true));
        assertThat(store.completed(PEER, "doc/main")).hasValue(data);
        ch.finishAndReleaseAll();
    }

    @Test
    void outOfOrderChunk_failsOnlyThatStream() {
        EmbeddedChannel ch = helloed(server(DIRECT));
        feed(ch, Frames.wire(10, new StreamBegin("doc/main", StreamPurpose.UPLOAD, 1000)));
        Frames.written(ch);
        feed(ch, Frames.wire(0, new Chunk("doc/main", 500, ByteString.copyFrom(new byte[100]))));
        Framed failure = Frames.written(ch).getFirst();
        assertThat(failureCode(failure)).isEqualTo(ErrorCode.OUT_OF_ORDER_CHUNK);
        assertThat(((Failure) failure.message()).streamId()).hasValue("doc/main");
        assertThat(ch.isActive()).as("a stream error keeps the connection").isTrue();
        feed(ch, Frames.wire(12, new Ping(3)));
        assertThat(Frames.written(ch)).extracting(Framed::message).containsExactly(new Pong(3));
        ch.finishAndReleaseAll();
    }

    @Test
    void digestMismatch_discardsTheStream_andReportsIt() {
        EmbeddedChannel ch = helloed(server(DIRECT));
        byte[] data = new byte[5000];
        feed(ch, Frames.wire(10, new StreamBegin("doc/main", StreamPurpose.UPLOAD, data.length)),
                Frames.wire(0, new Chunk("doc/main", 0, ByteString.copyFrom(data))),
                Frames.wire(11, new StreamEnd("doc/main", Sha256.digest(new byte[] {1}))));
        List<Framed> out = Frames.written(ch);
        assertThat(failureCode(out.getLast())).isEqualTo(ErrorCode.DIGEST_MISMATCH);
        assertThat(out.getLast().inReplyTo()).isEqualTo(11);
        assertThat(store.held(PEER, "doc/main")).as("discarded").isZero();
        feed(ch, Frames.wire(13, new StreamBegin("doc/main", StreamPurpose.UPLOAD, data.length)));
        assertThat(Frames.written(ch)).extracting(Framed::message).containsExactly(new StreamState("doc/main", 0, false));
        ch.finishAndReleaseAll();
    }

    @Test
    void streamBegunAgainOnANewConnection_resumesFromWhatIsStored() {
        EmbeddedChannel first = helloed(server(DIRECT));
        feed(first, Frames.wire(10, new StreamBegin("doc/main", StreamPurpose.UPLOAD, 1000)),
                Frames.wire(0, new Chunk("doc/main", 0, ByteString.copyFrom(new byte[400]))));
        first.close();
        first.finishAndReleaseAll();

        EmbeddedChannel second = helloed(server(DIRECT));
        feed(second, Frames.wire(20, new StreamBegin("doc/main", StreamPurpose.UPLOAD, 1000)));
        assertThat(Frames.written(second)).extracting(Framed::message).containsExactly(new StreamState("doc/main", 400, false));
        second.finishAndReleaseAll();
    }

    @Test
    void chunkOverTheSizeLimit_failsTheStream() {
        EmbeddedChannel ch = helloed(server(DIRECT));
        feed(ch, Frames.wire(10, new StreamBegin("doc/main", StreamPurpose.UPLOAD, 1 << 20)));
        Frames.written(ch);
        Frame tooBig = Frame.newBuilder().setVersion(1).setChunk(dev.pouch.protocol.wire.Chunk.newBuilder()
                .setStreamId("doc/main").setOffset(0).setData(ByteString.copyFrom(new byte[300_000]))).build();
        feed(ch, Frames.prefixed(tooBig.toByteArray()));
        assertThat(failureCode(Frames.written(ch).getFirst())).isEqualTo(ErrorCode.CHUNK_TOO_LARGE);
        ch.finishAndReleaseAll();
    }

    @Test
    void tooManyOpenStreams_refusesTheNextOne() {
        EmbeddedChannel ch = helloed(server(DIRECT));
        int max = Limits.defaults().maxOpenStreams();
        for (int i = 0; i < max; i++) {
            feed(ch, Frames.wire(10 + i, new StreamBegin("s" + i, StreamPurpose.UPLOAD, 10)));
        }
        Frames.written(ch);
        feed(ch, Frames.wire(100, new StreamBegin("one-more", StreamPurpose.UPLOAD, 10)));
        assertThat(failureCode(Frames.written(ch).getFirst())).isEqualTo(ErrorCode.TOO_MANY_STREAMS);
        ch.finishAndReleaseAll();
    }

    @Test
    void slowStore_pausesReadingAfterTheChunkLimit_andResumesWhenItCatchesUp() {
        Queue<Runnable> storeWork = new ArrayDeque<>();
        EmbeddedChannel ch = helloed(server(storeWork::add));
        feed(ch, Frames.wire(10, new StreamBegin("doc/main", StreamPurpose.UPLOAD, 1 << 20)));
        storeWork.poll().run();
        ch.runPendingTasks();
        Frames.written(ch);
        int max = Limits.defaults().maxPendingChunks();
        for (int i = 0; i < max; i++) {
            feed(ch, Frames.wire(0, new Chunk("doc/main", i * 1000L, ByteString.copyFrom(new byte[1000]))));
        }
        assertThat(ch.config().isAutoRead()).as("reading paused while the store is behind").isFalse();
        while (!storeWork.isEmpty()) {
            storeWork.poll().run();
            ch.runPendingTasks();
        }
        assertThat(ch.config().isAutoRead()).as("reading resumed").isTrue();
        assertThat(store.held(PEER, "doc/main")).isEqualTo(max * 1000L);
        ch.finishAndReleaseAll();
    }
}
