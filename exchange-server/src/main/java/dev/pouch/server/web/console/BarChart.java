package dev.pouch.server.web.console;

import org.springframework.web.util.HtmlUtils;

import java.util.List;

/**
 * A horizontal bar chart as inline SVG, drawn on the server: two bars per unit (sent, received).
 * Labels are escaped; the SVG carries classes only (the page's style sheet colours them), so the
 * Content-Security-Policy needs no inline styles.
 */
final class BarChart {

    /** One unit's bars. */
    record Bar(String label, long sent, long received) {
    }

    private static final int LABEL_WIDTH = 300;
    /** Longer labels are cut (with an ellipsis) so that they stay inside the chart. */
    static final int MAX_LABEL = 42;
    private static final int BAR_AREA = 520;
    private static final int ROW = 26;

    private BarChart() {
    }

    static String svg(List<Bar> bars, String title) {
        long max = Math.max(1, bars.stream().mapToLong(b -> Math.max(b.sent(), b.received())).max().orElse(1));
        int height = 20 + bars.size() * ROW + 10;
        int width = LABEL_WIDTH + BAR_AREA + 70;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\"><title>").append(HtmlUtils.htmlEscape(title, "UTF-8")).append("</title>");
        s.append("<line class=\"axis\" x1=\"").append(LABEL_WIDTH).append("\" y1=\"10\" x2=\"").append(LABEL_WIDTH)
                .append("\" y2=\"").append(height - 5).append("\"/>");
        int y = 16;
        for (Bar b : bars) {
            s.append("<text x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(y + 12).append("\" text-anchor=\"end\">")
                    .append(HtmlUtils.htmlEscape(cut(b.label()), "UTF-8")).append("</text>");
            bar(s, "bar-sent", y, b.sent(), max);
            bar(s, "bar-received", y + 10, b.received(), max);
            y += ROW;
        }
        return s.append("</svg>").toString();
    }

    private static String cut(String label) {
        return label.codePointCount(0, label.length()) <= MAX_LABEL ? label
                : label.substring(0, label.offsetByCodePoints(0, MAX_LABEL - 1)) + "…";
    }

    private static void bar(StringBuilder s, String cls, int y, long value, long max) {
        long w = Math.round((double) value * BAR_AREA / max);
        s.append("<rect class=\"").append(cls).append("\" x=\"").append(LABEL_WIDTH + 1).append("\" y=\"").append(y)
                .append("\" width=\"").append(w).append("\" height=\"9\"><title>").append(value).append("</title></rect>");
        s.append("<text x=\"").append(LABEL_WIDTH + 5 + w).append("\" y=\"").append(y + 8).append("\">").append(value).append("</text>");
    }
}
