package org.bookstore.store.catalog;

import java.util.ArrayList;
import java.util.List;
import org.springframework.web.util.HtmlUtils;

/** Draws a book's cover as SVG from its title, author and colour, so the shop ships no image files and links none. */
final class CoverArt {

    private static final int LINE_LENGTH = 16;

    private CoverArt() {}

    static String svg(Book book) {
        StringBuilder svg = new StringBuilder(1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 300\" role=\"img\" aria-label=\"")
                .append(escape(book.title())).append(" cover\">")
                .append("<rect width=\"200\" height=\"300\" fill=\"").append(escape(book.coverColor())).append("\"/>")
                .append("<rect x=\"12\" y=\"12\" width=\"176\" height=\"276\" fill=\"none\" stroke=\"#ffffff\" stroke-opacity=\"0.5\"/>");
        int y = 70;
        for (String line : wrap(book.title(), LINE_LENGTH, 6)) {
            svg.append("<text x=\"100\" y=\"").append(y)
                    .append("\" text-anchor=\"middle\" font-family=\"Georgia, serif\" font-size=\"17\" fill=\"#ffffff\">")
                    .append(escape(line)).append("</text>");
            y += 22;
        }
        int authorY = 250;
        for (String line : wrap(book.author(), 24, 2)) {
            svg.append("<text x=\"100\" y=\"").append(authorY)
                    .append("\" text-anchor=\"middle\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\" fill=\"#ffffff\" fill-opacity=\"0.85\">")
                    .append(escape(line)).append("</text>");
            authorY += 15;
        }
        return svg.append("</svg>").toString();
    }

    static List<String> wrap(String text, int width, int maxLines) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
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

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text);
    }
}
