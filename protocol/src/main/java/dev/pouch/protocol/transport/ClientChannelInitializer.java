package dev.pouch.protocol.transport;

import dev.pouch.protocol.codec.FrameCodec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The one place that defines the client pipeline, in order: TLS 1.3 with the staff certificate
 * (handshake timeout), idle detection, length-prefixed framing (failing fast), protobuf,
 * frame-to-record mapping, and the session.
 */
final class ClientChannelInitializer extends ChannelInitializer<Channel> {

    private final SslContext tls;
    private final String host;
    private final int port;
    private final Limits limits;
    private final ExchangeHandler application;
    private final Executor blockingExecutor;
    private final String software;

    ClientChannelInitializer(SslContext tls, String host, int port, Limits limits, ExchangeHandler application,
            Executor blockingExecutor, String software) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.limits = limits;
        this.application = application;
        this.blockingExecutor = blockingExecutor;
        this.software = software;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        SslHandler ssl = tls.newHandler(ch.alloc(), host, port);
        ssl.setHandshakeTimeoutMillis(limits.handshakeTimeout().toMillis());
        p.addLast("tls", ssl);
        p.addLast("idle", new IdleStateHandler(limits.idleTimeout().toMillis(), limits.heartbeat().toMillis(), 0,
                TimeUnit.MILLISECONDS));
        p.addLast("frame-decoder", ServerChannelInitializer.frameDecoder(limits));
        p.addLast("frame-encoder", ServerChannelInitializer.PREPENDER);
        p.addLast("protobuf-decoder", ServerChannelInitializer.PROTOBUF_DECODER);
        p.addLast("protobuf-encoder", ServerChannelInitializer.PROTOBUF_ENCODER);
        p.addLast("frame-codec", FrameCodec.INSTANCE);
        p.addLast("session", new SessionHandler(SessionHandler.Role.CLIENT, application, limits, blockingExecutor,
                software, null, () -> com.google.protobuf.ByteString.EMPTY));
    }
}
