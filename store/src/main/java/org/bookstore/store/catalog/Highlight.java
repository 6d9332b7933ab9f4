package org.bookstore.store.catalog;

import java.util.List;
import org.springframework.web.util.HtmlUtils;

/** Marks the searched words in a book's text, as escaped HTML with each match in a {@code <mark>}. */
final class Highlight {

    private static final int EXCERPT_LENGTH = 220;

    private Highlight() {}

    /** The whole text, escaped, with every word that starts with a searched word marked. */
    static String marked(String text, List<String> words) {
        String lower = lower(text);
        StringBuilder html = new StringBuilder(text.length() + 32);
        int copied = 0;
        int at = 0;
        while (at < text.length()) {
            int length = matchAt(lower, at, words);
            if (length > 0) {
                html.append(escape(text.substring(copied, at))).append("<mark>")
                        .append(escape(text.substring(at, at + length))).append("</mark>");
                at += length;
                copied = at;
            } else {
                at++;
            }
        }
        return html.append(escape(text.substring(copied))).toString();
    }

    /** A piece of the text around the first searched word (or its beginning), cut at spaces, marked. */
    static String excerpt(String text, List<String> words) {
        if (text.length() <= EXCERPT_LENGTH) {
            return marked(text, words);
        }
        String lower = lower(text);
        int first = -1;
        for (int at = 0; at < text.length() && first < 0; at++) {
            if (matchAt(lower, at, words) > 0) {
                first = at;
            }
        }
        int start = first < EXCERPT_LENGTH / 3 ? 0 : text.lastIndexOf(' ', first - EXCERPT_LENGTH / 3) + 1;
        int end = Math.min(text.length(), start + EXCERPT_LENGTH);
        if (end < text.length()) {
            int space = text.lastIndexOf(' ', end);
            end = space > start ? space : end;
        }
        return (start > 0 ? "\u2026" : "") + marked(text.substring(start, end), words) + (end < text.length() ? "\u2026" : "");
    }

    /** The length of the word starting at {@code at} if it begins with one of the searched words, else 0. */
    private static int matchAt(String lower, int at, List<String> words) {
        if (at > 0 && Character.isLetterOrDigit(lower.charAt(at - 1))) {
            return 0;
        }
        for (String word : words) {
            if (lower.startsWith(word, at)) {
                int end = at + word.length();
                while (end < lower.length() && Character.isLetterOrDigit(lower.charAt(end))) {
                    end++;
                }
                return end - at;
            }
        }
        return 0;
    }

    /** Lower case char by char, so positions in it are positions in the text (String.toLowerCase can change lengths). */
    private static String lower(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = Character.toLowerCase(chars[i]);
        }
        return new String(chars);
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text, "UTF-8");
    }
}
