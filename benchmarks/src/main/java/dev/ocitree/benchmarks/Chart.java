package dev.ocitree.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws the result chart with java.awt (headless): one panel per image with a horizontal bar per
 * contender (median wall seconds, CPU seconds as a thin bar under it), and a memory panel.
 */
final class Chart {
    private static final int WIDTH = 1400;
    private static final int LABEL = 290;
    private static final int BARS = 720;
    private static final int ROW = 30;
    private static final Map<String, Color> COLORS = Map.of(
            "ocitree", new Color(0x1f77b4), "ostree-tar", new Color(0xff7f0e), "ostree-ext", new Color(0xd62728),
            "umoci", new Color(0x9467bd), "floor", new Color(0x7f7f7f), "unpack", new Color(0xbcbd22));

    private Chart() {
    }

    static void write(Report report, String subtitle, Path png) {
        List<List<Cell>> panels = new ArrayList<>();
        List<Cell> current = null;
        for (Cell c : report.cells()) {
            if (current == null || !current.get(0).image().name().equals(c.image().name())) {
                current = new ArrayList<>();
                panels.add(current);
            }
            current.add(c);
        }
        boolean memory = report.memorySmall() != null && report.memoryLarge() != null;
        int height = 90 + panels.stream().mapToInt(p -> 40 + p.size() * ROW + 10).sum() + (memory ? 40 + 2 * ROW + 10 : 0) + 20;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("ocitree import vs the real tools: median wall time (thin bar: CPU time), lower is better", 20, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(subtitle, 20, 52);
        int y = 80;
        for (List<Cell> panel : panels) {
            Image image = panel.get(0).image();
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%s — %d layer(s), %s uncompressed, %s compressed", image.name(),
                    image.layers().size(), Options.human(image.uncompressedBytes()), Options.human(image.compressedBytes())), 20, y + 20);
            y += 32;
            double max = panel.stream().filter(c -> c.median().ok())
                    .mapToDouble(c -> Math.max(c.median().wall(), nz(c.medianCpu()))).max().orElse(1);
            for (Cell c : panel) {
                Measurement m = c.median();
                bar(g, y, c.contender().label(), COLORS.getOrDefault(c.contender().tool(), Color.GRAY),
                        m.ok() ? m.wall() : Double.NaN, c.medianCpu(), max, m.ok() ? String.format(Locale.ROOT, "%.1f s (cpu %.1f s)", m.wall(), c.medianCpu())
                                + ratios(report, c) : shorten(m.status()));
                y += ROW;
            }
            y += 18;
        }
        if (memory) {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.setColor(Color.BLACK);
            Double d = report.memoryDifference();
            g.drawString("memory: peak RSS of ocitree bare-user-only importing a four-layer gzip image"
                    + (d == null ? "" : String.format(Locale.ROOT, " (difference %.1f%%, target <= 10%%)", 100 * d)), 20, y + 20);
            y += 32;
            Cell[] cs = {report.memorySmall(), report.memoryLarge()};
            double max = Math.max(nz(cs[0].median().rssMiB()), nz(cs[1].median().rssMiB()));
            for (Cell c : cs) {
                Measurement m = c.median();
                bar(g, y, Options.human(c.image().uncompressedBytes()) + " image", COLORS.get("ocitree"),
                        m.ok() ? m.rssMiB() : Double.NaN, Double.NaN, max,
                        m.ok() ? String.format(Locale.ROOT, "%.0f MiB", m.rssMiB()) : shorten(m.status()));
                y += ROW;
            }
        }
        g.dispose();
        try {
            ImageIO.write(img, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + png, e);
        }
    }

    private static void bar(Graphics2D g, int y, String label, Color color, double value, double thin, double max, String text) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(Color.BLACK);
        g.drawString(label, 30, y + 17);
        int x0 = LABEL;
        if (!Double.isNaN(value) && max > 0) {
            int w = (int) Math.max(1, Math.round(BARS * value / max));
            g.setColor(color);
            g.fillRect(x0, y + 3, w, 16);
            if (!Double.isNaN(thin)) {
                int tw = (int) Math.max(1, Math.round(BARS * thin / max));
                g.setColor(color.darker().darker());
                g.fillRect(x0, y + 21, tw, 4);
            }
            g.setColor(Color.BLACK);
            g.drawString(text, x0 + Math.max(w, Double.isNaN(thin) ? 0 : (int) Math.round(BARS * thin / max)) + 8, y + 17);
        } else {
            g.setColor(new Color(0x999999));
            g.setStroke(new BasicStroke(1));
            g.drawRect(x0, y + 3, 40, 16);
            g.drawString(text, x0 + 50, y + 17);
        }
    }

    /** For an ocitree bar: its speedups over the peers and its ratio to the floor. */
    private static String ratios(Report report, Cell c) {
        if (!c.contender().tool().equals("ocitree")) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Report.Ratio r : report.ratios()) {
            if (r.image().equals(c.image().name()) && r.ocitree().equals(c.contender().label()) && !Double.isNaN(r.value())) {
                String other = r.other().replace(" " + c.contender().mode(), "");
                sb.append(sb.length() == 0 ? "  " : ", ").append(other.equals("floor") || other.equals("unpack")
                        ? String.format(Locale.ROOT, "%.2fx %s", r.value(), other)
                        : String.format(Locale.ROOT, "%.1fx faster than %s", r.value(), other));
            }
        }
        return sb.toString();
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static String shorten(String s) {
        String t = s.replaceAll(" \\(log [^)]*\\)", "");
        return t.length() > 90 ? t.substring(0, 87) + "..." : t;
    }
}
