package org.bookstore.store.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.args.AxeRunOnlyOptions;
import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.stream.Collectors;

/**
 * axe-core's WCAG 2.1 A and AA rules run in a page as it stands, frames included; a page passes with no violation.
 * No rule is disabled.
 */
public final class Axe {

    public static final List<String> WCAG21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    private Axe() {
    }

    /** Fails with every violation listed (rule, what it asks for, and the elements at fault). */
    public static void assertNoViolations(Page page) {
        String violations = violations(page);
        assertThat(violations).as("WCAG 2.1 AA violations on %s:%n%s", page.url(), violations).isEmpty();
    }

    /** The page's violations, frames included, described one rule a paragraph; empty when there are none. */
    public static String violations(Page page) {
        return describe(new AxeBuilder(page).withTags(WCAG21_AA).analyze());
    }

    /**
     * The page's violations outside its frames. Only for a frame no script may run in (a sent mail is shown in a
     * frame sandboxed without scripts, where axe cannot run and would wait for ever): its document is checked on its
     * own with {@link #violationsOfDocument}.
     */
    public static String violationsOutsideFrames(Page page) {
        AxeRunOptions options = new AxeRunOptions();
        options.setIFrames(false);
        // Options given whole replace the builder's tags: the same WCAG 2.1 A and AA rules, named again.
        AxeRunOnlyOptions only = new AxeRunOnlyOptions();
        only.setType("tag");
        only.setValues(WCAG21_AA);
        options.setRunOnly(only);
        return describe(new AxeBuilder(page).withTags(WCAG21_AA).setLegacyMode(true).options(options).analyze());
    }

    /** The violations of an HTML document without frames (e.g. a mail's HTML part) loaded into a blank page. */
    public static String violationsOfDocument(Page blank, String html) {
        blank.setContent(html);
        return violationsOutsideFrames(blank);
    }

    private static String describe(AxeResults results) {
        return results.getViolations().isEmpty() ? "" : describe(results.getViolations());
    }

    static String describe(List<Rule> violations) {
        return violations.stream().map(rule -> "- " + rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + "\n"
                + rule.getNodes().stream().map(Axe::node).collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n"));
    }

    private static String node(CheckedNode node) {
        return "    " + node.getTarget() + " " + node.getHtml().replaceAll("\\s+", " ")
                + (node.getFailureSummary() == null ? "" : "\n      " + node.getFailureSummary().replaceAll("\\s+", " "));
    }
}
