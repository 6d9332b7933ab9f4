package org.bookstore.store.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bookstore.store.support.Axe;

/** A browser test that runs axe-core's WCAG 2.1 A and AA rules on the pages it visits and reports them all at the end. */
abstract class AxeInBrowser extends InBrowser {

    private final Map<String, String> violations = new LinkedHashMap<>();

    /** Opens the page and checks it. */
    Response scan(Page on, String what, String path) {
        Response response = on.navigate(path);
        check(on, what);
        return response;
    }

    /** Checks the page as it stands now, e.g. after a click. */
    void check(Page on, String what) {
        record(what + " (" + on.url() + ")", Axe.violations(on));
    }

    /** Checks the page outside its frames, which no script may run in (see {@link Axe#violationsOutsideFrames}). */
    void checkOutsideFrames(Page on, String what) {
        record(what + " (" + on.url() + ")", Axe.violationsOutsideFrames(on));
    }

    /** Checks an HTML document on its own, in a blank page. */
    void checkDocument(String what, String html) {
        Page blank = context.newPage();
        try {
            record(what, Axe.violationsOfDocument(blank, html));
        } finally {
            blank.close();
        }
    }

    private void record(String what, String found) {
        if (!found.isEmpty()) {
            violations.put(what, found);
        }
    }

    /** Fails listing every violation found on every page checked, page by page. */
    void assertNone() {
        StringBuilder report = new StringBuilder();
        violations.forEach((what, found) -> report.append("\n== ").append(what).append('\n').append(found));
        assertThat(violations).as("WCAG 2.1 AA violations:%s", report).isEmpty();
    }

}
