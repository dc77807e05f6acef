using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sim.Reports;
using Sim.Reports.Figures;

namespace Sim.Notebooks;

/// <summary>
/// A plotly figure in a notebook, like a chart pinned to a whiteboard: in HTML a div plus a script that
/// draws it with plotly.js (fetched from the plotly CDN when the page does not have it yet, through
/// RequireJS where the page has that, as classic Jupyter does); in plain text the traces' numbers, so
/// a chart is never an empty box in a console or a diff. The CDN version is the one the HTML reports embed (package.json).
/// </summary>
public sealed class ChartView(PlotlyFigure figure) : View
{
    public const string PlotlyVersion = "3.1.0";
    private const int MaxPointsInText = 16;
    private static int _created;
    // Ids must differ between charts on one page (hence a number per chart) and stay put when a chart
    // is drawn twice; the figure's hash in the id keeps reruns of a notebook readable in diffs.
    private readonly int _number = Interlocked.Increment(ref _created);

    public PlotlyFigure Figure { get; } = figure;

    public override string ToHtml()
    {
        // System.Text.Json escapes '<', '>' and '&' by default, so figure text cannot close the script.
        string json = Figure.ToJson().ToJsonString();
        string id = $"sim-chart-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)).AsSpan(0, 6))}-{_number}";
        return $$"""
            <div id="{{id}}" style="width:100%;min-height:380px" aria-label="{{WebUtility.HtmlEncode(Figure.Title)}}"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{json}};
              function draw(plotly) { plotly.newPlot('{{id}}', figure.data, figure.layout, {displaylogo: false, responsive: true}); }
              if (window.Plotly) { draw(window.Plotly); return; }
              var url = 'https://cdn.plot.ly/plotly-{{PlotlyVersion}}.min';
              if (typeof window.require === 'function' && window.require.config) {
                window.require.config({paths: {plotly: url} });
                window.require(['plotly'], function (plotly) { window.Plotly = plotly; draw(plotly); });
              } else {
                var script = document.createElement('script');
                script.src = url + '.js';
                script.onload = function () { draw(window.Plotly); };
                document.head.appendChild(script);
              }
            })();
            </script>
            """;
    }

    public override string ToString()
    {
        var text = new StringBuilder().Append("[chart] ").Append(Figure.Title).Append('\n');
        foreach (var trace in Figure.Data.OfType<JsonObject>())
        {
            string name = (string?)trace["name"] ?? "";
            var x = Values(trace["x"]);
            var y = Values(trace["y"]);
            if ((string?)trace["type"] == "histogram")
            {
                var finite = x.OfType<double>().ToArray();
                text.Append($"  {name}: {finite.Length} values");
                if (finite.Length > 0)
                    text.Append($", min {Cell(finite.Min())}, mean {Cell(finite.Average())}, max {Cell(finite.Max())}");
                text.Append('\n');
                continue;
            }
            text.Append("  ").Append(name).Append(':');
            int shown = Math.Min(Math.Min(x.Count, y.Count), MaxPointsInText);
            for (int i = 0; i < shown; i++) text.Append(" (").Append(Cell(x[i])).Append(", ").Append(Cell(y[i])).Append(')');
            if (x.Count > shown) text.Append($" ... ({x.Count - shown} more)");
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string Cell(object? value) => CellFormat.Display(value);

    /// <summary>Trace coordinates as numbers or text; gaps (null) stay null.</summary>
    private static List<object?> Values(JsonNode? node) =>
        node is JsonArray array
            ? array.Select(v => v is null ? null : v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? (object?)v.GetValue<double>() : v.ToString()).ToList()
            : [];
}
