package org.bookstore.store.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Draws a book's cover as SVG from its title, author and colour, so the shop ships no image files and links none. */
final class CoverArt {

    private static final int LINE_LENGTH = 16;
    /** Raise when the drawing changes, so browsers fetch the new covers. */
    private static final int DRAWING = 4;
    static final String LIGHT_TEXT = "#ffffff";
    static final String DARK_TEXT = "#000000";

    private CoverArt() {}

    static String svg(Book book) {
        String ink = textColor(book.coverColor());
        StringBuilder svg = new StringBuilder(1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"300\" viewBox=\"0 0 200 300\" role=\"img\" aria-label=\"")
                .append(escape(book.title())).append(" cover\">")
                .append("<rect width=\"200\" height=\"300\" fill=\"").append(escape(book.coverColor())).append("\"/>")
                .append("<rect x=\"12\" y=\"12\" width=\"176\" height=\"276\" fill=\"none\" stroke=\"").append(ink)
                .append("\" stroke-opacity=\"0.5\"/>");
        int y = 70;
        for (String line : wrap(book.title(), LINE_LENGTH, 6)) {
            svg.append("<text x=\"100\" y=\"").append(y)
                    .append("\" text-anchor=\"middle\" font-family=\"Georgia, serif\" font-size=\"17\" fill=\"").append(ink).append("\">")
                    .append(escape(line)).append("</text>");
            y += 22;
        }
        int authorY = 250;
        for (String line : wrap(book.author(), 24, 2)) {
            svg.append("<text x=\"100\" y=\"").append(authorY)
                    .append("\" text-anchor=\"middle\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\" fill=\"").append(ink).append("\">")
                    .append(escape(line)).append("</text>");
            authorY += 15;
        }
        return svg.append("</svg>").toString();
    }

    /**
     * White or black, whichever stands out more from the cover's colour: one of the two always reaches WCAG's
     * 4.5:1 for text. A colour that cannot be parsed draws no background, so its text is black on the page's light grey.
     */
    static String textColor(String background) {
        if (background == null || !background.strip().matches("#[0-9a-fA-F]{6}")) {
            return DARK_TEXT;
        }
        return contrast(background, LIGHT_TEXT) >= contrast(background, DARK_TEXT) ? LIGHT_TEXT : DARK_TEXT;
    }

    /** WCAG's contrast ratio of two #rrggbb colours, from 1 to 21. */
    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        int rgb = Integer.parseInt(hex.strip().substring(1), 16);
        return 0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb);
    }

    private static double channel(int value) {
        double c = (value & 0xff) / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    static String version(Book book) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (DRAWING + "\n" + book.title() + "\n" + book.author() + "\n" + book.coverColor()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> wrap(String text, int width, int maxLines) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : words(text, width)) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        if (lines.size() > maxLines) {
            List<String> cut = new ArrayList<>(lines.subList(0, maxLines));
            cut.set(maxLines - 1, cut.get(maxLines - 1) + "\u2026");
            return cut;
        }
        return lines;
    }

    /** The text's words, a word longer than a line cut into line-sized pieces so it cannot run off the cover. */
    private static List<String> words(String text, int width) {
        List<String> words = new ArrayList<>();
        for (String word : text.strip().split("\\s+")) {
            int[] codePoints = word.codePoints().toArray();
            for (int start = 0; start < codePoints.length; start += width) {
                words.add(new String(codePoints, start, Math.min(width, codePoints.length - start)));
            }
        }
        return words;
    }

    /**
     * Escapes for XML, which knows only five named entities: HTML's (such as {@code &hellip;}) make the SVG
     * unreadable. Characters XML forbids (most control characters) are dropped.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> {
                    boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
                    if (allowed) {
                        escaped.appendCodePoint(c);
                    }
                }
            }
        });
        return escaped.toString();
    }
}
