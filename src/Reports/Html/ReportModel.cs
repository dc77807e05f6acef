using Sim.Reports.Figures;

namespace Sim.Reports.Html;

/// <summary>
/// Everything a report page shows, like the content of a printed report before layout: a title, a
/// short key-value summary, figures and tables. The simulation fills it; <see cref="HtmlReport"/> and
/// <see cref="TerminalTable"/> lay it out.
/// </summary>
public sealed class ReportModel
{
    public required string Title { get; init; }
    public string? Subtitle { get; init; }
    public List<KeyValuePair<string, object?>> Summary { get; } = [];
    public List<PlotlyFigure> Figures { get; } = [];
    public List<ReportTable> Tables { get; } = [];
}
