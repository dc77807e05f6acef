using Sim.Reports;
using Sim.Reports.Html;

namespace Sim.Scenarios;

/// <summary>
/// Writes a <see cref="ScenarioOutcome"/> into a results folder, one page of a lab notebook per run:
/// timeline.json, the CSV tables, report.html, and summary.json last. Each file goes to a temporary
/// name and is renamed (<see cref="AtomicFile"/>), so a folder with a summary is a complete run and an
/// interrupted one leaves no file that looks finished. Runs no simulation: the outcome is complete
/// before the first byte is written.
/// </summary>
public static class ResultsWriter
{
    public static void Write(ScenarioOutcome outcome, string directory)
    {
        Directory.CreateDirectory(directory);
        if (outcome.Timeline is { } timeline) AtomicFile.WriteAllBytes(Path.Combine(directory, "timeline.json"), timeline);
        foreach (var table in outcome.Tables) CsvTableWriter.Write(Path.Combine(directory, table.FileName), table.Table);
        if (outcome.Report is { } report) HtmlReport.Write(Path.Combine(directory, "report.html"), report);
        SummaryJsonWriter.Write(Path.Combine(directory, "summary.json"), outcome.Summary);
    }
}
