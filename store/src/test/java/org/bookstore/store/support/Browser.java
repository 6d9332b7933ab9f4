package org.bookstore.store.support;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium driven by Playwright, headless. Outside CI a machine without Chromium skips the browser suites
 * with a message; in CI (CI=true) they fail.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("BOOKSTORE_CHROMIUM", "/usr/bin/chromium"));
    private static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;

    private Browser(Playwright playwright, com.microsoft.playwright.Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static Browser launch() {
        if (!Files.isExecutable(CHROMIUM)) {
            String message = "Chromium is not installed at " + CHROMIUM + " (apt-get install -y chromium)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + ": the browser suites must run in CI");
            }
            Assumptions.abort(message + ": skipping the browser suite outside CI");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        return new Browser(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(FLAGS)));
    }

    /** A fresh browser profile: its own cookies, like a new buyer. */
    public BrowserContext newContext(String baseUrl) {
        BrowserContext context = browser.newContext(new NewContextOptions().setBaseURL(baseUrl).setViewportSize(1280, 900));
        context.setDefaultTimeout(15_000);
        return context;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
