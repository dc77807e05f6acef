using Sim.Scenarios.Validation;

namespace Sim.Cli.Tests;

/// <summary>
/// The simulator against published measurements of real systems (src/Scenarios/Validation). The bound
/// is a regression guard on the mechanisms, not a fit: the scenarios use the tool's default compute
/// efficiencies, and the errors are printed as they are.
/// </summary>
public sealed class PublishedValidationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The suite's mean absolute percentage error when it was last committed (printed by
    /// `sim validate published`). Lower it when a mechanism improves; never raise it to pass.</summary>
    /// <remarks>Raised once, from 13.2% to 15.5%, when the Narayanan et al. rows took the authors' own
    /// micro-batch sizes and interleaved schedules (examples/sc21/run_table_1.sh) instead of assumed ones:
    /// the old figure rested on wrong assumptions that happened to offset a compute error.</remarks>
    private const double CommittedMape = 0.155; // 15.4% over 25 rows from 6 sources at commit time

    [Fact]
    public void SuiteErrorDoesNotRiseAboveTheCommittedFigure()
    {
        var rows = PublishedValidation.Run();
        foreach (var r in rows) output.WriteLine($"{r.Name}: measured {r.Measured} {r.Unit}, predicted {r.Predicted:G4} {r.Unit}, error {100 * r.RelativeError:+0.0;-0.0}%");
        Assert.Equal(PublishedMeasurements.All.Count, rows.Count);
        Assert.True(rows.Count >= 25, $"the suite shrank to {rows.Count} rows");
        Assert.True(PublishedValidation.MapeBySource(rows).Count >= 6, "the suite lost a source");
        foreach (var (source, count, sourceMape) in PublishedValidation.MapeBySource(rows)) output.WriteLine($"{source}: {sourceMape:P1} over {count}");
        double mape = PublishedValidation.Mape(rows);
        output.WriteLine($"MAPE {mape:P1} (committed {CommittedMape:P1})");
        Assert.InRange(mape, 0, CommittedMape);
        // More GPUs for the same global batch: shorter iterations, as measured.
        var mtNlg = rows.Where(r => r.Name.StartsWith("mt-nlg", StringComparison.Ordinal)).ToArray();
        Assert.True(mtNlg[0].Predicted > mtNlg[1].Predicted && mtNlg[1].Predicted > mtNlg[2].Predicted);
    }

    [Fact]
    public void ValidateCommandPrintsTheTable()
    {
        var (code, output, error) = SimCommandLine.Invoke("validate", "published");
        Assert.True(code == 0, error);
        Assert.Contains("mt-nlg-530b-2240-gpus", output);
        Assert.Contains("mean absolute percentage error", output);
    }
}
