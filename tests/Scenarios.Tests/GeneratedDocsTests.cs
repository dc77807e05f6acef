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
    public void Committed_sweep_reference_matches_the_schema()
    {
        string path = RepositoryPaths.Docs("sweep-schema.md");
        string generated = SweepSpec.ReferenceMarkdown();
        if (Environment.GetEnvironmentVariable("SIM_UPDATE_DOCS") == "1") File.WriteAllText(path, generated);
        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with SIM_UPDATE_DOCS=1");
        Assert.Equal(generated, File.ReadAllText(path));
    }
}
