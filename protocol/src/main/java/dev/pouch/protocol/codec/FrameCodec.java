package dev.pouch.protocol.codec;

import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.wire.Frame;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;

import java.util.List;

/**
 * Protobuf {@link Frame} to the immutable {@link Framed} record and back. Stateless, so one
 * instance serves every connection.
 */
@ChannelHandler.Sharable
public final class FrameCodec extends MessageToMessageCodec<Frame, Framed> {

    public static final FrameCodec INSTANCE = new FrameCodec();

    private FrameCodec() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Framed msg, List<Object> out) {
        out.add(ToWire.frame(msg));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Frame msg, List<Object> out) {
        out.add(FromWire.framed(msg));
    }
}
