namespace Sim.Reports.Figures;

/// <summary>How a trace draws its points; the text form of a chart summarises each kind differently.</summary>
public enum TraceKind
{
    /// <summary>Raw values binned by the plotting library; <see cref="FigureTrace.X"/> holds the values.</summary>
    Histogram,
    /// <summary>One bar per category (stacked with the other bar traces of the figure).</summary>
    Bar,
    /// <summary>Points joined by lines (steps or straight segments).</summary>
    Line,
}

/// <summary>
/// The numbers behind one trace of a <see cref="PlotlyFigure"/>, kept beside the Plotly.NET chart like
/// the data table printed under a figure: text forms (notebook plain text, logs) read these instead
/// of parsing chart JSON, so they never need the chart library. X holds numbers (double) or category
/// names (string); Y is empty for histograms.
/// </summary>
public sealed record FigureTrace(string Name, TraceKind Kind, IReadOnlyList<object> X, IReadOnlyList<double> Y);
