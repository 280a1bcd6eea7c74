package dev.pouch.protocol.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Installs the {@link LeakRecorder} when the test run starts, before any Netty buffer exists. */
public final class LeakRecorderInstaller implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LeakRecorder.install();
    }
}
