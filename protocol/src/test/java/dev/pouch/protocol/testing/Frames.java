package dev.pouch.protocol.testing;

import dev.pouch.protocol.codec.FromWire;
import dev.pouch.protocol.codec.ToWire;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Encodes frames as a peer would put them on the wire, and reads back what a channel wrote. */
public final class Frames {

    private Frames() {
    }

    /** A length-prefixed frame. */
    public static byte[] wire(Framed framed) {
        return prefixed(ToWire.frame(framed).toByteArray());
    }

    public static byte[] wire(long requestId, Message message) {
        return wire(Framed.request(1, requestId, message));
    }

    public static byte[] prefixed(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    /** Every frame the channel has written, decoded; the written buffers are released. */
    public static List<Framed> written(EmbeddedChannel channel) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) o;
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            all.writeBytes(bytes);
        }
        ByteBuffer in = ByteBuffer.wrap(all.toByteArray());
        List<Framed> frames = new ArrayList<>();
        while (in.remaining() >= 4) {
            byte[] body = new byte[in.getInt()];
            in.get(body);
            try {
                frames.add(FromWire.framed(Frame.parseFrom(body)));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError("the channel wrote an unreadable frame", e);
            }
        }
        return frames;
    }
}
