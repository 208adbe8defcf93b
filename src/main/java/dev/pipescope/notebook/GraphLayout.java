package dev.pipescope.notebook;

import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out a small directed graph with Eclipse ELK's layered algorithm (Sugiyama style) and draws the
 * result as SVG. Positions, edge routes and label places all come from ELK; this class only draws them.
 */
final class GraphLayout {

    /** A box to draw. {@code tooltip} becomes the SVG title (shown on hover). */
    record Box(String label, String sublabel, String fill, String stroke, String tooltip) {
    }

    /** An arrow between two boxes (indexes into the box list). */
    record Arrow(int from, int to, String label) {
    }

    private static final double CHAR_WIDTH = 7.0;
    private static final double LINE_HEIGHT = 16.0;

    private GraphLayout() {
    }

    static String draw(String title, List<Box> boxes, List<Arrow> arrows, boolean leftToRight) {
        // ELK finds algorithms through this registry; registering again is harmless
        LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, leftToRight ? Direction.RIGHT : Direction.DOWN);
        root.setProperty(CoreOptions.SPACING_NODE_NODE, 24.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 40.0);
        root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(16));
        List<ElkNode> nodes = new ArrayList<>();
        for (Box box : boxes) {
            ElkNode node = ElkGraphUtil.createNode(root);
            int chars = Math.max(box.label.length(), box.sublabel == null ? 0 : box.sublabel.length());
            node.setDimensions(Math.max(60, chars * CHAR_WIDTH + 20), box.sublabel == null ? 30 : 44);
            nodes.add(node);
        }
        List<ElkEdge> edges = new ArrayList<>();
        for (Arrow arrow : arrows) {
            ElkEdge edge = ElkGraphUtil.createSimpleEdge(nodes.get(arrow.from), nodes.get(arrow.to));
            if (arrow.label != null && !arrow.label.isEmpty()) {
                ElkLabel label = ElkGraphUtil.createLabel(arrow.label, edge);
                label.setDimensions(arrow.label.length() * 6.0 + 4, 14);
                label.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
            }
            edges.add(edge);
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        double width = Math.max(root.getWidth(), title.length() * 8.0 + 32);
        double height = root.getHeight() + 28;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">",
                width, height, width, height));
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
                + "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"18\" font-weight=\"bold\" fill=\"#222\">%s</text>",
                TableRenderer.escape(title)));
        svg.append("<g transform=\"translate(0,24)\">");
        for (ElkEdge edge : edges) {
            for (ElkEdgeSection section : edge.getSections()) {
                StringBuilder points = new StringBuilder();
                points.append(String.format(Locale.ROOT, "%.1f,%.1f", section.getStartX(), section.getStartY()));
                for (ElkBendPoint bend : section.getBendPoints()) {
                    points.append(String.format(Locale.ROOT, " %.1f,%.1f", bend.getX(), bend.getY()));
                }
                points.append(String.format(Locale.ROOT, " %.1f,%.1f", section.getEndX(), section.getEndY()));
                svg.append("<polyline fill=\"none\" stroke=\"#555\" stroke-width=\"1.3\" marker-end=\"url(#arrow)\" points=\"")
                        .append(points).append("\"/>");
            }
            for (ElkLabel label : edge.getLabels()) {
                svg.append(String.format(Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#444\" class=\"edge-label\">%s</text>",
                        label.getX() + 2, label.getY() + 11, TableRenderer.escape(label.getText())));
            }
        }
        for (int i = 0; i < boxes.size(); i++) {
            Box box = boxes.get(i);
            ElkNode node = nodes.get(i);
            svg.append("<g class=\"node\">");
            if (box.tooltip != null) {
                svg.append("<title>").append(TableRenderer.escape(box.tooltip)).append("</title>");
            }
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>",
                    node.getX(), node.getY(), node.getWidth(), node.getHeight(), box.fill, box.stroke));
            double cx = node.getX() + node.getWidth() / 2;
            double firstLine = node.getY() + (box.sublabel == null ? 19 : 18);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#111\">%s</text>",
                    cx, firstLine, TableRenderer.escape(box.label)));
            if (box.sublabel != null) {
                svg.append(String.format(Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\" fill=\"#333\">%s</text>",
                        cx, firstLine + LINE_HEIGHT - 2, TableRenderer.escape(box.sublabel)));
            }
            svg.append("</g>");
        }
        svg.append("</g></svg>");
        return svg.toString();
    }
}
