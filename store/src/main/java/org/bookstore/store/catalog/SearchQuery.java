package org.bookstore.store.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a shopper typed into the search box, made safe to use: control characters dropped, spaces collapsed, cut to
 * {@link #MAX_LENGTH} characters, and split into the words that are matched and highlighted.
 */
public record SearchQuery(String text, List<String> words, boolean shortened) {

    public static final int MAX_LENGTH = 200;
    static final int MAX_WORDS = 10;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    public static SearchQuery of(String typed) {
        String text = typed == null ? "" : typed.replaceAll("[\\p{Cc}\\p{Cs}\\p{Cn}]", " ").replaceAll("\\s+", " ").strip();
        boolean shortened = text.codePointCount(0, text.length()) > MAX_LENGTH;
        if (shortened) {
            text = text.substring(0, text.offsetByCodePoints(0, MAX_LENGTH)).strip();
        }
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find() && words.size() < MAX_WORDS) {
            if (!words.contains(matcher.group())) {
                words.add(matcher.group());
            }
        }
        return new SearchQuery(text, List.copyOf(words), shortened);
    }

    public boolean isBlank() {
        return text.isEmpty();
    }
}
