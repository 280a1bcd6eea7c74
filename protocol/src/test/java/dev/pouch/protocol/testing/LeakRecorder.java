package dev.pouch.protocol.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns Netty's leak reports into something a test can assert on: every buffer is tracked
 * (PARANOID) and every report is recorded. Installed before any buffer class loads by
 * {@link LeakRecorderInstaller}.
 */
public final class LeakRecorder extends ResourceLeakDetectorFactory {

    private static final List<String> LEAKS = new ArrayList<>();

    static void install() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new LeakRecorder());
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return new ResourceLeakDetector<>(resource, samplingInterval) {
            @Override
            protected void reportTracedLeak(String resourceType, String records) {
                record(resourceType + records);
            }

            @Override
            protected void reportUntracedLeak(String resourceType) {
                record(resourceType);
            }
        };
    }

    private static void record(String leak) {
        synchronized (LEAKS) {
            LEAKS.add(leak);
        }
    }

    /**
     * Collects garbage and makes Netty look at what was collected, then returns (and clears) every
     * leak reported so far.
     */
    public static List<String> collect() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Reports are made when a new buffer is tracked.
            io.netty.buffer.ByteBuf probe = io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(8);
            probe.release();
            io.netty.buffer.Unpooled.directBuffer(8).release();
        }
        synchronized (LEAKS) {
            List<String> found = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return found;
        }
    }
}
