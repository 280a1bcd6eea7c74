package dev.pouch.protocol.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Fails a test that leaked a Netty buffer. */
public final class NoLeaks implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        assertThat(LeakRecorder.collect()).as("leaked buffers").isEmpty();
    }
}
