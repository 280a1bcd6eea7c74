package dev.pouch.protocol.transport;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.protocol.message.Chunk;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.Hello;
import dev.pouch.protocol.message.Ping;
import dev.pouch.protocol.message.StreamBegin;
import dev.pouch.protocol.message.StreamEnd;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.testing.Frames;
import dev.pouch.protocol.testing.SampleMessages;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the seed corpus of {@link InboundDecoderFuzzTest}. Jazzer's data provider takes raw bytes
 * from the front and primitives from the back, so each seed is: frames, then a 4-byte piece size,
 * then a "send hello first" flag. Run: {@code FuzzSeeds <dir>}.
 */
public final class FuzzSeeds {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        byte[] data = new byte[3000];
        new java.util.Random(5).nextBytes(data);
        write(dir, "hello-then-ping", false, 64, Frames.wire(1, new Hello(1, 1, "seed")), Frames.wire(2, new Ping(1)));
        write(dir, "every-message", true, 512, SampleMessages.all().stream().map(m -> Frames.wire(9, m)).toArray(byte[][]::new));
        write(dir, "stream", true, 200, Frames.wire(3, new StreamBegin("d/main", StreamPurpose.UPLOAD, data.length)),
                Frames.wire(0, new Chunk("d/main", 0, ByteString.copyFrom(data))),
                Frames.wire(4, new StreamEnd("d/main", Sha256.digest(data))));
        write(dir, "out-of-order", true, 1000, Frames.wire(3, new StreamBegin("d/main", StreamPurpose.UPLOAD, 100)),
                Frames.wire(0, new Chunk("d/main", 50, ByteString.copyFrom(new byte[10]))));
        write(dir, "oversized-prefix", true, 3, new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
        write(dir, "corrupt-protobuf", true, 7, Frames.prefixed(new byte[] {(byte) 0xff, (byte) 0xff, 0x0f}));
        write(dir, "version-99", true, 100, Frames.wire(new Framed(99, 1, 0, new Ping(1))));
        write(dir, "no-hello", false, 100, Frames.wire(5, new Ping(3)));
        write(dir, "zero-length-frames", true, 1, new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
    }

    private static void write(Path dir, String name, boolean helloFirst, int pieceSize, byte[]... frames) throws Exception {
        ByteArrayOutputStream seed = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            seed.writeBytes(f);
        }
        // consumeInt(1, 4096) reads 2 bytes from the back for that range; consumeBoolean reads one.
        seed.writeBytes(ByteBuffer.allocate(4).putInt(pieceSize - 1).array());
        seed.write(helloFirst ? 1 : 0);
        Files.write(dir.resolve(name), seed.toByteArray());
    }

    private FuzzSeeds() {
    }
}
