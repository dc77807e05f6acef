using Sim.Scenarios.Tests.Fixtures;

namespace Sim.Scenarios.Tests;

/// <summary>The committed scenario references must match the schemas (regenerate with SIM_UPDATE_DOCS=1).</summary>
public sealed class ScenarioReferenceTests
{
    [Theory]
    [InlineData("scenario-schema.md")]
    [InlineData("federated-scenario-schema.md")]
    public void CommittedReferenceMatchesTheSchema(string file)
    {
        string path = RepositoryPaths.Docs(file);
        string generated = file.StartsWith("federated", StringComparison.Ordinal) ? ScenarioReference.FederatedMarkdown() : ScenarioReference.TrainingMarkdown();
        if (Environment.GetEnvironmentVariable("SIM_UPDATE_DOCS") == "1") File.WriteAllText(path, generated);
        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with SIM_UPDATE_DOCS=1");
        Assert.Equal(generated, File.ReadAllText(path));
    }

    [Fact]
    public void EveryShippedScenarioValidates()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Path.GetDirectoryName(RepositoryPaths.Docs("x"))!, "..", "scenarios"), "*.yaml"))
        {
            if (Path.GetFileName(file).StartsWith("sweep-", StringComparison.Ordinal)) continue;
            ScenarioKinds.Load(file);
        }
    }
}
