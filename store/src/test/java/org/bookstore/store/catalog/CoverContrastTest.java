package org.bookstore.store.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bookstore.store.common.Money;
import org.junit.jupiter.api.Test;

/** A generated cover's title and author are readable on any cover colour: WCAG's 4.5:1 for text, never less. */
class CoverContrastTest {

    private static final String[] DEMO_COLOURS = {"#0f6e73", "#1d3557", "#1f4e79", "#284b63", "#2e6b4f", "#355c3a", "#3b5b92",
        "#4d7c0f", "#5b2a86", "#6b3e26", "#6d6d6d", "#7a1f3d", "#8b2f1c", "#9c6b12", "#b0501f", "#c9a227"};

    @Test
    void everyTextOnTheDemoCoversAndOnAThousandOtherColoursHasEnoughContrast() {
        Random random = new Random(42);
        java.util.List<String> colours = new java.util.ArrayList<>(java.util.List.of(DEMO_COLOURS));
        colours.addAll(java.util.List.of("#ffffff", "#000000", "#777777", "#ffff00", "#00ff00", "#0000ff", "#ff0000"));
        for (int i = 0; i < 1000; i++) {
            colours.add(String.format("#%06x", random.nextInt(0x1000000)));
        }
        for (String colour : colours) {
            String svg = CoverArt.svg(new Book(1, "a-book", "A Book With A Longish Title", "Some Author", "", Money.zero(
                    java.util.Currency.getInstance("USD")), 1, colour, false));
            Matcher text = Pattern.compile("<text [^>]*fill=\"(#[0-9a-f]{6})\"([^>]*)>").matcher(svg);
            int texts = 0;
            while (text.find()) {
                texts++;
                assertThat(text.group(2)).as("no transparency on %s", colour).doesNotContain("opacity");
                assertThat(CoverArt.contrast(colour, text.group(1))).as("text %s on %s", text.group(1), colour)
                        .isGreaterThanOrEqualTo(4.5);
            }
            assertThat(texts).as("title and author lines").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void contrastIsWcagsRatio() {
        assertThat(CoverArt.contrast("#ffffff", "#000000")).isCloseTo(21.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(CoverArt.contrast("#777777", "#ffffff")).isCloseTo(4.48, org.assertj.core.data.Offset.offset(0.01));
        assertThat(CoverArt.textColor("#c9a227")).isEqualTo(CoverArt.DARK_TEXT);
        assertThat(CoverArt.textColor("#1d3557")).isEqualTo(CoverArt.LIGHT_TEXT);
    }
}
