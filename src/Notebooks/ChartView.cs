using System.Net;
using System.Security.Cryptography;
using System.Text;
using Sim.Reports;
using Sim.Reports.Figures;

namespace Sim.Notebooks;

/// <summary>
/// A Plotly.NET figure in a notebook, like a chart pinned to a whiteboard. In HTML: a div and a script
/// that hands Plotly.NET's JSON (data, layout, config) to plotly.js, which the notebook page gets
/// offline from <see cref="Show.PlotlyScript"/> (nothing is fetched from a CDN); if plotly.js has not
/// arrived after ten seconds the div says how to load it. In plain text: the traces' numbers, read
/// from <see cref="PlotlyFigure.Traces"/> without building the chart, so a chart is never an empty box
/// in a console or a diff, whatever the host.
/// </summary>
public sealed class ChartView(PlotlyFigure figure) : View
{
    private const int MaxPointsInText = 16;
    private static int _created;
    // Ids must differ between charts on one page (hence a number per chart) and stay put when a chart
    // is drawn twice; the figure's hash in the id keeps reruns of a notebook readable in diffs.
    private readonly int _number = Interlocked.Increment(ref _created);

    public PlotlyFigure Figure { get; } = figure;

    /// <summary>What the div shows when plotly.js never arrives.</summary>
    public const string MissingLibraryHint = "plotly.js is not loaded on this page: run Sim.Notebooks.Show.PlotlyScript() in a cell above this one";

    public override string ToHtml()
    {
        string json = Figure.ToScriptJson(); // '<', '>' and '&' are escaped: figure text cannot close the script
        string id = $"sim-chart-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)).AsSpan(0, 6))}-{_number}";
        return $$"""
            <div id="{{id}}" style="width:100%;min-height:{{Charts.Height}}px" aria-label="{{WebUtility.HtmlEncode(Figure.Title)}}"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{json}};
              function draw() { window.Plotly.newPlot('{{id}}', figure.data, figure.layout, figure.config); }
              if (window.Plotly) { draw(); return; }
              var waited = 0;
              var timer = setInterval(function () {
                if (window.Plotly) { clearInterval(timer); draw(); }
                else if ((waited += 100) >= 10000) { clearInterval(timer); document.getElementById('{{id}}').textContent = '{{MissingLibraryHint}}'; }
              }, 100);
            })();
            </script>
            """;
    }

    public override string ToString()
    {
        var text = new StringBuilder().Append("[chart] ").Append(Figure.Title).Append('\n');
        foreach (var trace in Figure.Traces)
        {
            if (trace.Kind == TraceKind.Histogram)
            {
                var values = trace.X.OfType<double>().ToArray();
                text.Append($"  {trace.Name}: {values.Length} values");
                if (values.Length > 0)
                    text.Append($", min {Cell(values.Min())}, mean {Cell(values.Average())}, max {Cell(values.Max())}");
                text.Append('\n');
                continue;
            }
            text.Append("  ").Append(trace.Name).Append(':');
            int shown = Math.Min(Math.Min(trace.X.Count, trace.Y.Count), MaxPointsInText);
            for (int i = 0; i < shown; i++) text.Append(" (").Append(Cell(trace.X[i])).Append(", ").Append(Cell(trace.Y[i])).Append(')');
            if (trace.X.Count > shown) text.Append($" ... ({trace.X.Count - shown} more)");
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Gaps (NaN) print as empty cells, as in tables.</summary>
    private static string Cell(object? value) => CellFormat.Display(value is double d && !double.IsFinite(d) ? null : value);
}
