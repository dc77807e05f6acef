using System.Text.Json.Nodes;
using Plotly.NET;

namespace Sim.Reports.Figures;

/// <summary>
/// One chart, built with Plotly.NET, like a plate ready for the printer: its title, the numbers of each
/// trace (for text forms) and the Plotly.NET <see cref="GenericChart"/>. The chart is built on first
/// use, not when the figure is made, so code that only reads titles and numbers (plain-text notebook
/// output in a kernel host whose own F# runtime disagrees with Plotly.NET's) never loads the chart
/// library. <see cref="ToScriptJson"/> is Plotly.NET's own serialisation (data, layout, config) made
/// safe to place inside an HTML <c>&lt;script&gt;</c>.
/// </summary>
public sealed class PlotlyFigure
{
    private readonly Lazy<GenericChart> _chart;

    /// <param name="title">Shown above the chart and used as its accessible label.</param>
    /// <param name="traces">The numbers behind the chart, in trace order.</param>
    /// <param name="build">Builds the Plotly.NET chart; called at most once, on first use.</param>
    public PlotlyFigure(string title, IReadOnlyList<FigureTrace> traces, Func<GenericChart> build)
    {
        Title = title;
        Traces = traces;
        _chart = new Lazy<GenericChart>(build, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Title { get; }

    public IReadOnlyList<FigureTrace> Traces { get; }

    /// <summary>The Plotly.NET chart (for <c>Chart.Show</c>, image export or further styling).</summary>
    public GenericChart Chart => _chart.Value;

    /// <summary>Plotly.NET's serialisation of the chart, <c>{"data": [...], "layout": {...}, "config": {...}}</c>, as a JSON tree to inspect.</summary>
    public JsonObject ToJson() => JsonNode.Parse(GenericChart.toJson(Chart))!.AsObject();

    /// <summary>
    /// The same JSON as text to place inside an HTML <c>&lt;script&gt;</c>: <c>&lt;</c>, <c>&gt;</c> and
    /// <c>&amp;</c> are written as \u escapes (they can only occur inside JSON strings, so the JSON means
    /// the same), so text from input files cannot close the surrounding script.
    /// </summary>
    public string ToScriptJson() =>
        GenericChart.toJson(Chart).Replace("<", "\\u003c").Replace(">", "\\u003e").Replace("&", "\\u0026");
}
