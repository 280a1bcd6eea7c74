package dev.pouch.server.web.console;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A real headless Chromium for browser tests, driven through the Debian {@code chromium-driver}
 * (no downloads: Selenium Manager is not used). As a JUnit extension it saves a screenshot and the
 * page source under {@code target/browser-failures/} when a test fails.
 */
final class Browser implements TestWatcher {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path FAILURES = Path.of("target", "browser-failures");

    private static ChromeDriver current;

    /** Starts Chromium; fails with what to install if it is missing. */
    static ChromeDriver start(Path profile) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver: "
                    + "apt-get install -y chromium chromium-driver (.ci/run installs them when missing)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The test server's certificate chains to a test root the browser does not know; the
        // connection is still TLS 1.3 to 127.0.0.1, and the console's Secure cookies still apply.
        options.setAcceptInsecureCerts(true);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=zh-CN", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        current = driver;
        return driver;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (current == null) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
        try {
            Files.createDirectories(FAILURES);
            File shot = current.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), FAILURES.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(FAILURES.resolve(name + ".html"), Optional.ofNullable(current.getPageSource()).orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // the browser itself may be what failed; the test's own failure is what matters
        }
    }
}
