package dev.pouch.server.config;

import io.netty.util.internal.PlatformDependent;

/**
 * Artemis's file journal frees its direct buffers through Netty's
 * {@code PlatformDependent.freeDirectBuffer}. On Java 25 Netty stops using
 * {@code sun.misc.Unsafe} by default, and without it can free only the buffers it allocated
 * itself: the journal then fails to load on the second start ("Cannot clean arbitrary
 * ByteBuffer instances"). The fix is the JVM flag {@code --sun-misc-unsafe-memory-access=allow};
 * when it is absent, {@link #allowUnsafeForJournal()} asks Netty for Unsafe explicitly, which the
 * JDK then reports with a one-time warning on standard error.
 */
public final class NettyRuntime {

    private static final String NO_UNSAFE = "io.netty.noUnsafe";
    private static final String MEMORY_ACCESS = "sun.misc.unsafe.memory.access";

    private NettyRuntime() {
    }

    /** Must run before any Netty class is loaded, i.e. first thing in {@code main}. */
    public static void allowUnsafeForJournal() {
        if (System.getProperty(NO_UNSAFE) == null && System.getProperty(MEMORY_ACCESS) == null) {
            System.setProperty(NO_UNSAFE, "false");
        }
    }

    /** Refuses to start a file journal that could not be reloaded after a restart. */
    static void requireBufferCleaning() {
        if (!PlatformDependent.hasUnsafe()) {
            throw new IllegalStateException("the embedded broker's journal needs Netty to free direct buffers, "
                    + "which on Java " + Runtime.version().feature() + " requires the JVM flag "
                    + "--sun-misc-unsafe-memory-access=allow (Netty says: "
                    + PlatformDependent.getUnsafeUnavailabilityCause() + ")");
        }
    }
}
