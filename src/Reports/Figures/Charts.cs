using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace Sim.Reports.Figures;

/// <summary>
/// The chart kinds a simulation report needs, built with Plotly.NET's C# API, like a drawing office's
/// standard templates: a histogram of iteration times, a stacked bar of where time went, a step line
/// of utilisation over time and scaling curves for sweeps. Inputs are checked here, when the figure
/// is made (mismatched lengths throw <see cref="ArgumentException"/>); the Plotly.NET chart itself is
/// built lazily (<see cref="PlotlyFigure"/>). Non-finite values are left out of histograms and become
/// gaps in lines (Plotly.NET writes them as "NaN", which plotly.js does not draw).
/// Charts use no Plotly.NET template (<c>UseDefaults: false</c>): plotly.js's own look, and a few
/// hundred bytes of JSON per chart instead of Plotly.NET's ~7 kB default template.
/// </summary>
public static class Charts
{
    /// <summary>Report charts are this tall (pixels); their width follows the page.</summary>
    public const int Height = 380;

    /// <summary>Histogram bars: a mid blue that stays readable printed in grey.</summary>
    public const string HistogramColour = "#3b6fb6";

    public static PlotlyFigure Histogram(string title, IReadOnlyList<double> values, string xLabel, int bins = 40)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        return new PlotlyFigure(title, [new FigureTrace(xLabel, TraceKind.Histogram, finite.Cast<object>().ToArray(), [])], () =>
        {
            var chart = CSharpChart.Histogram<double, double, string>(
                X: finite, Name: xLabel, NBinsX: bins, MarkerColor: Color.fromHex(HistogramColour), UseDefaults: false);
            return Axes(PlotlyStyle.Frame(chart, title, Height), xLabel, "count", logX: false);
        });
    }

    /// <summary>One bar per category, stacked from the given parts (for example compute, communication, bubble).</summary>
    public static PlotlyFigure StackedBar(string title, IReadOnlyList<string> categories, IReadOnlyList<(string Part, IReadOnlyList<double> Values)> parts, string yLabel)
    {
        foreach (var (part, values) in parts)
            if (values.Count != categories.Count)
                throw new ArgumentException($"part '{part}' has {values.Count} values for {categories.Count} categories");
        var keys = categories.ToArray();
        var traces = parts.Select(p => new FigureTrace(p.Part, TraceKind.Bar, keys, p.Values.ToArray())).ToArray();
        return new PlotlyFigure(title, traces, () =>
        {
            // StackedColumn sets the layout's bar mode to "stack".
            var bars = parts.Select(p => CSharpChart.StackedColumn<double, string, string>(
                p.Values.ToArray(), Keys: keys, Name: p.Part, UseDefaults: false)).ToArray();
            return Axes(PlotlyStyle.Frame(Combine(bars), title, Height), "", yLabel, logX: false);
        });
    }

    /// <summary>Levels that hold until the next change (utilisation, queue length), drawn as steps.</summary>
    public static PlotlyFigure StepLines(string title, IReadOnlyList<Series> series, string xLabel, string yLabel) =>
        LineFigure(title, series, xLabel, yLabel, markers: false, steps: true, logX: false);

    /// <summary>Metric against scale (GPUs, nodes, batch size), with error bars where given.</summary>
    public static PlotlyFigure Scaling(string title, IReadOnlyList<Series> series, string xLabel, string yLabel, bool logX = false) =>
        LineFigure(title, series, xLabel, yLabel, markers: true, steps: false, logX);

    private static PlotlyFigure LineFigure(string title, IReadOnlyList<Series> series, string xLabel, string yLabel, bool markers, bool steps, bool logX)
    {
        foreach (var s in series)
        {
            if (s.X.Count != s.Y.Count) throw new ArgumentException($"series '{s.Name}' has {s.X.Count} x and {s.Y.Count} y values");
            if (s.ErrorY is { } errors && errors.Count != s.Y.Count)
                throw new ArgumentException($"series '{s.Name}' has {errors.Count} error bars for {s.Y.Count} points");
        }
        var snapshot = series.Select(s => s with { X = s.X.ToArray(), Y = s.Y.ToArray(), ErrorY = s.ErrorY?.ToArray() }).ToArray();
        var traces = snapshot.Select(s => new FigureTrace(s.Name, TraceKind.Line, s.X.Cast<object>().ToArray(), s.Y)).ToArray();
        return new PlotlyFigure(title, traces, () =>
        {
            var lines = snapshot.Select(s =>
            {
                var line = CSharpChart.Line<double, double, string>(
                    s.X, s.Y, ShowMarkers: markers, Name: s.Name, Line: PlotlyStyle.LineShape(steps), UseDefaults: false);
                return s.ErrorY is { } errors ? PlotlyStyle.WithErrorBars(line, errors) : line;
            }).ToArray();
            return Axes(PlotlyStyle.Frame(Combine(lines), title, Height), xLabel, yLabel, logX);
        });
    }

    private static GenericChart Combine(GenericChart[] charts) =>
        charts.Length == 1 ? charts[0] : charts.Length == 0 ? CSharpChart.Invisible() : CSharpChart.Combine(charts);

    /// <summary>Axis titles; the x axis is logarithmic only when asked (otherwise plotly.js picks linear or category from the data).</summary>
    private static GenericChart Axes(GenericChart chart, string xLabel, string yLabel, bool logX) =>
        (logX
            ? chart.WithXAxisStyle<double, double, string>(TitleText: xLabel, AxisType: StyleParam.AxisType.Log)
            : chart.WithXAxisStyle<double, double, string>(TitleText: xLabel))
        .WithYAxisStyle<double, double, string>(TitleText: yLabel);
}
