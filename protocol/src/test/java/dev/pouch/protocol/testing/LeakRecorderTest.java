package dev.pouch.protocol.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The leak check the codec tests rely on does catch a leak. */
class LeakRecorderTest {

    @Test
    void droppedBuffer_isReportedAsALeak() {
        LeakRecorder.collect();
        leak();
        assertThat(LeakRecorder.collect()).isNotEmpty();
    }

    private static void leak() {
        ByteBuf forgotten = PooledByteBufAllocator.DEFAULT.buffer(64);
        forgotten.writeLong(42);
    }
}
