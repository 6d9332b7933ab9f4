package org.bookstore.emulator;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Launches Debian's Chromium for the browser tests: skipped without it, but a failure when CI=true. */
final class BrowserSupport {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private BrowserSupport() {}

    /** Aborts the calling test class when Chromium is missing, or throws in CI. */
    static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("Chromium is required in CI: " + CHROMIUM + " is missing");
            }
            Assumptions.abort("Chromium not installed at " + CHROMIUM + "; apt-get install -y chromium to run");
        }
    }

    static Browser launch(Playwright playwright) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync")));
    }
}
