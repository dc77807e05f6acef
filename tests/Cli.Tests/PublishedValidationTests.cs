using Sim.Scenarios.Validation;

namespace Sim.Cli.Tests;

/// <summary>
/// The simulator against published measurements of real systems (src/Scenarios/Validation). The bound
/// is a regression guard on the mechanisms, not a fit: the scenarios use the tool's default compute
/// efficiencies, and the errors are printed as they are.
/// </summary>
public sealed class PublishedValidationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void PublishedConfigurationsArePredictedWithinFifteenPercent()
    {
        var rows = PublishedValidation.Run();
        foreach (var r in rows) output.WriteLine($"{r.Name}: measured {r.Measured} {r.Unit}, predicted {r.Predicted:G4} {r.Unit}, error {100 * r.RelativeError:+0.0;-0.0}%");
        Assert.Equal(PublishedMeasurements.All.Count, rows.Count);
        Assert.All(rows, r => Assert.InRange(Math.Abs(r.RelativeError), 0, 0.15));
        // More GPUs for the same global batch: shorter iterations, as measured.
        Assert.True(rows[0].Predicted > rows[1].Predicted && rows[1].Predicted > rows[2].Predicted);
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
