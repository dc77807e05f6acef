using Sim.Core.Files;
using Sim.Reports;
using Sim.Reports.Html;

namespace Sim.Scenarios;

/// <summary>
/// Writes a <see cref="ScenarioOutcome"/> into a results folder (through <see cref="ResultsFolderSwap"/>), one page of a lab notebook per run:
/// timeline.json, the CSV tables, report.html, and summary.json last. Each file goes to a temporary
/// name and is renamed (<see cref="AtomicFile"/>), so a folder with a summary is a complete run and an
/// interrupted one leaves no file that looks finished. Runs no simulation: the outcome is complete
/// before the first byte is written.
/// </summary>
public static class ResultsWriter
{
    /// <exception cref="IOException">the folder cannot take the results (a file in the way, a folder
    /// that is not a results folder, no space, no permission); the old results are then left whole.</exception>
    public static void Write(ScenarioOutcome outcome, string directory)
    {
        // Written into a fresh sibling and swapped in whole: the folder holds the old run or the new
        // one, never a mix, and no file of an older run (a timeline.json the new run does not write)
        // survives.
        using var swap = ResultsFolderSwap.Begin(directory);
        string staging = swap.Staging;
        try
        {
            if (outcome.Timeline is { } timeline) AtomicFile.WriteAllBytes(Path.Combine(staging, "timeline.json"), timeline);
            foreach (var table in outcome.Tables) CsvTableWriter.Write(Path.Combine(staging, table.FileName), table.Table);
            if (outcome.Report is { } report) HtmlReport.Write(Path.Combine(staging, "report.html"), report);
            SummaryJsonWriter.Write(Path.Combine(staging, "summary.json"), outcome.Summary);
            swap.Commit();
        }
        catch (IOException e) when (e is not ResultsTargetException)
        {
            // A full disk, a quota, a vanished mount: say which folder, and that it was left alone.
            throw new IOException($"{swap.Target}: cannot write the results ({e.Message}); the folder was left as it was", e);
        }
    }
}
