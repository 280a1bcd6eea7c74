package dev.pouch.protocol.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.atomic.AtomicInteger;

/** Refuses connections beyond a fixed number, before any TLS work is spent on them. */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private final int max;
    private final AtomicInteger active = new AtomicInteger();

    ConnectionLimiter(int max) {
        this.max = max;
    }

    int active() {
        return active.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (active.incrementAndGet() > max) {
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        active.decrementAndGet();
        super.channelInactive(ctx);
    }
}
