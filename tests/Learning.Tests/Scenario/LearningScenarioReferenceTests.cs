using Sim.Learning.Scenario;

namespace Sim.Learning.Tests.Scenario;

/// <summary>The committed reference must match the schema (regenerate with SIM_UPDATE_DOCS=1), and every
/// shipped tta-* learning scenario must validate.</summary>
public class LearningScenarioReferenceTests
{
    private static string Root() => Sim.Tests.Shared.RepositoryRoot.Path;

    [Fact]
    public void Committed_reference_matches_the_schema()
    {
        string path = Path.Combine(Root(), "docs", "learning-scenario-schema.md");
        string generated = LearningScenarioSchema.Markdown();
        if (Environment.GetEnvironmentVariable("SIM_UPDATE_DOCS") == "1") File.WriteAllText(path, generated);
        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with SIM_UPDATE_DOCS=1");
        Assert.Equal(generated, File.ReadAllText(path));
    }

    [Fact]
    public void Shipped_learning_scenarios_validate()
    {
        var files = Directory.GetFiles(Path.Combine(Root(), "scenarios"), "tta-*.yaml")
            .Where(f => File.ReadAllText(f).Contains("\nstrategies:", StringComparison.Ordinal)).ToArray();
        Assert.True(files.Length >= 3, $"expected the shipped learning scenarios, found {files.Length}");
        if (!Torch.TorchAvailability.Require()) return;
        foreach (var f in files) Assert.NotEmpty(LearningScenario.Load(f).Strategies);
    }
}
