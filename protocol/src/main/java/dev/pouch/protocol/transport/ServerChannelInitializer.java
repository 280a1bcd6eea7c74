package dev.pouch.protocol.transport;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.protocol.codec.FrameCodec;
import dev.pouch.protocol.wire.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one place that defines the server pipeline, in order:
 * connection limit, TLS 1.3 (client certificate required, handshake timeout), idle detection,
 * length-prefixed framing (at most {@link Limits#maxFrameBytes()}, failing fast), protobuf,
 * frame-to-record mapping, and the session.
 */
public final class ServerChannelInitializer extends ChannelInitializer<Channel> {

    static final LengthFieldPrepender PREPENDER = new LengthFieldPrepender(4);
    static final ProtobufEncoder PROTOBUF_ENCODER = new ProtobufEncoder();
    static final ProtobufDecoder PROTOBUF_DECODER = new ProtobufDecoder(Frame.getDefaultInstance());

    /**
     * Length-prefixed frames of at most {@code maxFrameBytes}, refused as soon as the prefix says
     * more. Frames arrive as many TLS records; composing them avoids copying each 256 KiB chunk
     * into ever larger buffers (the protobuf decoder copies a frame once anyway).
     */
    static LengthFieldBasedFrameDecoder frameDecoder(Limits limits) {
        LengthFieldBasedFrameDecoder decoder = new LengthFieldBasedFrameDecoder(limits.maxFrameBytes(), 0, 4, 0, 4, true);
        decoder.setCumulator(io.netty.handler.codec.ByteToMessageDecoder.COMPOSITE_CUMULATOR);
        return decoder;
    }

    private final SslContext tls;
    private final Limits limits;
    private final ExchangeHandler application;
    private final Executor blockingExecutor;
    private final String software;
    private final ConnectionLimiter limiter;
    private final Identity presetPeer;
    private final Supplier<ByteString> crl;

    ServerChannelInitializer(SslContext tls, Limits limits, ExchangeHandler application, Executor blockingExecutor,
            String software, ConnectionLimiter limiter, Supplier<ByteString> crl) {
        this(tls, limits, application, blockingExecutor, software, limiter, null, crl);
    }

    /** Without TLS, with a fixed peer identity: for codec and session tests only. */
    static ServerChannelInitializer withoutTls(Limits limits, ExchangeHandler application, Executor executor, Identity peer) {
        return new ServerChannelInitializer(null, limits, application, executor, "pouch-test", new ConnectionLimiter(Integer.MAX_VALUE), peer,
                () -> ByteString.EMPTY);
    }

    private ServerChannelInitializer(SslContext tls, Limits limits, ExchangeHandler application, Executor blockingExecutor,
            String software, ConnectionLimiter limiter, Identity presetPeer, Supplier<ByteString> crl) {
        this.tls = tls;
        this.crl = crl;
        this.limits = limits;
        this.application = application;
        this.blockingExecutor = blockingExecutor;
        this.software = software;
        this.limiter = limiter;
        this.presetPeer = presetPeer;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("limit", limiter);
        if (tls != null) {
            SslHandler ssl = tls.newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(limits.handshakeTimeout().toMillis());
            p.addLast("tls", ssl);
        }
        p.addLast("idle", new IdleStateHandler(limits.idleTimeout().toMillis(), limits.heartbeat().toMillis(), 0,
                TimeUnit.MILLISECONDS));
        p.addLast("frame-decoder", ServerChannelInitializer.frameDecoder(limits));
        p.addLast("frame-encoder", PREPENDER);
        p.addLast("protobuf-decoder", PROTOBUF_DECODER);
        p.addLast("protobuf-encoder", PROTOBUF_ENCODER);
        p.addLast("frame-codec", FrameCodec.INSTANCE);
        p.addLast("session", new SessionHandler(SessionHandler.Role.SERVER, application, limits, blockingExecutor,
                software, presetPeer, crl));
    }
}
