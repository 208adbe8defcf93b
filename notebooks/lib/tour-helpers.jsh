// Helpers for 00-kernel-tour.ipynb, loaded with %load lib/tour-helpers.jsh

/** An SVG bar chart of the given values, one bar per value. */
String barChart(int... values) {
    int width = 30 * values.length + 10;
    int max = java.util.Arrays.stream(values).max().orElse(1);
    StringBuilder svg = new StringBuilder("<svg xmlns='http://www.w3.org/2000/svg' width='" + width + "' height='110'>");
    for (int i = 0; i < values.length; i++) {
        int h = 100 * values[i] / max;
        svg.append("<rect x='").append(10 + 30 * i).append("' y='").append(105 - h)
           .append("' width='20' height='").append(h).append("' fill='steelblue'/>");
    }
    return svg.append("</svg>").toString();
}

/** An HTML table with a header row and one row per item. */
String table(List<String> header, List<List<Object>> rows) {
    StringBuilder html = new StringBuilder("<table><thead><tr>");
    header.forEach(h -> html.append("<th>").append(h).append("</th>"));
    html.append("</tr></thead><tbody>");
    for (List<Object> row : rows) {
        html.append("<tr>");
        row.forEach(cell -> html.append("<td>").append(cell).append("</td>"));
        html.append("</tr>");
    }
    return html.append("</tbody></table>").toString();
}
