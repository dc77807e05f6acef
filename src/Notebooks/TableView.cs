using System.Text;
using Sim.Reports;
using Sim.Reports.Html;

namespace Sim.Notebooks;

/// <summary>
/// A <see cref="ReportTable"/> on screen: the same HTML table the run reports use, or a boxed plain-text
/// table (<see cref="PlainTextTable"/>), so a notebook, <c>report.html</c> and <c>sim</c> on the console
/// spell every number the same way (<see cref="CellFormat"/>).
/// </summary>
public sealed class TableView : View
{
    /// <summary>Right-aligned numbers and light rules, since a notebook page has no report stylesheet.</summary>
    private const string Style =
        "<style>.sim-table table{border-collapse:collapse;margin:.25rem 0 1rem}" +
        ".sim-table th,.sim-table td{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left}" +
        ".sim-table td.number{text-align:right;font-variant-numeric:tabular-nums}.sim-table h2{font-size:1.1em;margin:.4rem 0}</style>";

    public TableView(ReportTable table) => Table = table.Validate();

    public ReportTable Table { get; }

    public override string ToHtml() =>
        new StringBuilder(Style).Append("<div class=\"sim-table\">").Append(HtmlReport.RenderTable(Table)).Append("</div>").ToString();

    public override string ToString() => PlainTextTable.Render(Table);
}
