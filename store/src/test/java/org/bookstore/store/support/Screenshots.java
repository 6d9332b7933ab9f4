package org.bookstore.store.support;

import com.microsoft.playwright.Page;
import java.nio.file.Path;

/** Screenshots for the README: taken once every image on the page has loaded, so none shows as a broken box. */
public final class Screenshots {

    private Screenshots() {
    }

    public static void take(Page page, Path file, boolean fullPage) {
        // Lazy images below the fold would never load for a full-page shot; each image must load, or this times out.
        page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(img => img.loading = 'eager')");
        page.waitForFunction("() => [...document.images].every(img => img.complete && img.naturalWidth > 0)");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(fullPage));
    }
}
