using Sim.Core.Files;
using System.Net;
using System.Text;

namespace Sim.Reports.Html;

/// <summary>
/// Lays out a <see cref="ReportModel"/> as one self-contained <c>report.html</c>, like a PDF you can
/// e-mail: plotly.js (once, in the head), the figures (built with Plotly.NET, see
/// <see cref="Figures.Charts"/>) and the styles are all inside the file, nothing is fetched from the
/// network. Text is HTML-escaped and embedded JSON escapes <c>&lt;</c>, so names from input files
/// cannot break out of the page.
/// </summary>
public static class HtmlReport
{
    public static void Write(string path, ReportModel model) => AtomicFile.WriteAllText(path, Render(model));

    public static string Render(ReportModel model)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(Encode(model.Title)).Append("</title>\n");
        html.Append("<style>").Append(Styles).Append("</style>\n");
        html.Append("<script>").Append(PlotlyAsset.InlineScript).Append("</script>\n");
        html.Append("</head>\n<body>\n<header><h1>").Append(Encode(model.Title)).Append("</h1>");
        if (model.Subtitle is { } subtitle) html.Append("<p class=\"subtitle\">").Append(Encode(subtitle)).Append("</p>");
        html.Append("</header>\n");

        if (model.Summary.Count > 0)
            AppendTable(html, ReportTable.FromPairs("Summary", model.Summary), "summary");

        if (model.Figures.Count > 0)
        {
            html.Append("<section class=\"figures\">\n");
            for (int i = 0; i < model.Figures.Count; i++)
                html.Append("<figure><div id=\"figure-").Append(i).Append("\" class=\"figure\" aria-label=\"")
                    .Append(Encode(model.Figures[i].Title)).Append("\"></div></figure>\n");
            html.Append("</section>\n");
        }

        foreach (var table in model.Tables) AppendTable(html, table.Validate(), "table");

        // Each figure's data, layout and config are Plotly.NET's JSON (PlotlyFigure.ToScriptJson); the page only hands them to plotly.js.
        html.Append("<script>\nconst figures = [");
        for (int i = 0; i < model.Figures.Count; i++) html.Append(i == 0 ? "\n" : ",\n").Append(model.Figures[i].ToScriptJson());
        html.Append("];\nfigures.forEach((f, i) => Plotly.newPlot('figure-' + i, f.data, f.layout, f.config));\n");
        html.Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>One table as an HTML fragment (a titled section), for pages and notebooks alike.</summary>
    public static string RenderTable(ReportTable table, string cssClass = "table")
    {
        var html = new StringBuilder();
        AppendTable(html, table.Validate(), cssClass);
        return html.ToString();
    }

    private static void AppendTable(StringBuilder html, ReportTable table, string cssClass)
    {
        html.Append("<section class=\"").Append(cssClass).Append("\"><h2>").Append(Encode(table.Title)).Append("</h2>\n<table>\n<thead><tr>");
        foreach (var column in table.Columns) html.Append("<th>").Append(Encode(column)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append(cell is string ? "<td>" : "<td class=\"number\">").Append(Encode(CellFormat.Display(cell))).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private const string Styles =
        "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}" +
        "h1{margin-bottom:.2rem}.subtitle{color:#555;margin-top:0}" +
        "table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border-bottom:1px solid #ddd;padding:.25rem .75rem;text-align:left}" +
        "td.number{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f5f8}" +
        "figure{margin:0 0 1rem}.figure{width:100%;min-height:380px}";
}
