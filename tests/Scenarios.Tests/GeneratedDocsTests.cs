using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Tests.Fixtures;

namespace Sim.Scenarios.Tests;

/// <summary>
/// Reference pages generated from schema declarations must match what is committed under docs/, so
/// the documentation cannot drift from the validator. Regenerate with SIM_UPDATE_DOCS=1.
/// </summary>
public sealed class GeneratedDocsTests
{
    [Fact]
    public void Committed_sweep_reference_matches_the_schema() => AssertCommitted("sweep-schema.md", SweepSpec.ReferenceMarkdown());

    [Fact]
    public void Committed_hardware_reference_matches_the_schema() => AssertCommitted("hardware-schema.md", Sim.Scenarios.Hardware.HardwareFileSchema.ReferenceMarkdown());

    /// <summary>The page docs/<paramref name="file"/> equals <paramref name="generated"/> (rewritten first under SIM_UPDATE_DOCS=1).</summary>
    private static void AssertCommitted(string file, string generated)
    {
        string path = RepositoryPaths.Docs(file);
        if (Environment.GetEnvironmentVariable("SIM_UPDATE_DOCS") == "1") File.WriteAllText(path, generated);
        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with SIM_UPDATE_DOCS=1");
        Assert.Equal(generated, File.ReadAllText(path));
    }
}
