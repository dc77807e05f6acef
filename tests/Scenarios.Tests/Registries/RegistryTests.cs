using Sim.Core;
using Sim.Core.Registries;
using Sim.Models.Network;
using Sim.Scenarios.Schema;
using Sim.Scenarios.Training;
using Sim.Scenarios.Training.Backends;
using Sim.Scenarios.Training.Modes;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests.Registries;

/// <summary>
/// The registries are the one source of modes and backends: the schema offers exactly their names, a
/// scenario carries the registered objects, and each combination runs on the network its results name.
/// </summary>
public sealed class RegistryTests
{
    private sealed record Named(string Name, string Description = "d") : IRegistered;

    [Fact]
    public void ARegistryKeepsOrderRefusesDuplicatesAndNamesTheKnownOnesOnAMiss()
    {
        var registry = new Registry<Named>("widget", new Named("b"), new Named("a"));
        Assert.Equal(["b", "a"], registry.Names);
        Assert.Throws<ArgumentException>(() => registry.Register(new Named("a")));
        Assert.Throws<ArgumentException>(() => registry.Register(new Named(" ")));
        var miss = Assert.Throws<KeyNotFoundException>(() => registry.Get("c"));
        Assert.Equal("no widget named 'c'; known: b, a", miss.Message);
        Assert.True(registry.TryGet("a", out var a) && a.Name == "a");
    }

    [Fact]
    public void TheSchemaOffersExactlyTheRegisteredModesBackendsAndModeSections()
    {
        var training = (MapSchema)TrainingScenarioSchema.Root.Fields.Single(f => f.Name == "training").Schema;
        var modes = (EnumSchema)training.Fields.Single(f => f.Name == "mode").Schema;
        Assert.Equal(TrainingModes.Registry.Names, modes.Values);
        var network = (MapSchema)TrainingScenarioSchema.Root.Fields.Single(f => f.Name == "network").Schema;
        var backends = (EnumSchema)network.Fields.Single(f => f.Name == "backend").Schema;
        Assert.Equal(NetworkBackends.Registry.Names, backends.Values);
        foreach (var mode in TrainingModes.Registry.Entries)
            if (mode.Section is { } section)
                Assert.Same(section.Schema, TrainingScenarioSchema.Root.Fields.Single(f => f.Name == section.Key).Schema);
    }

    [Theory]
    [InlineData("data_parallel"), InlineData("local_sgd")]
    public void DataParallelModesRunOnEveryBackend(string mode)
    {
        foreach (var backend in NetworkBackends.Registry.Entries)
        {
            var s = TrainingScenario.Parse(TrainingYaml.DataParallel(mode, backend.Name), "t.yaml");
            Assert.Same(TrainingModes.Get(mode), s.Mode);
            Assert.Same(backend, s.Backend);
            AssertRunsOn(s);
        }
    }

    /// <summary>The bug this guards against: with closed_form, pipeline and parameter-server runs used the
    /// analytical network while the results said closed form. Now each runs on the network it names, and
    /// closed_form is refused at the backend key.</summary>
    [Theory]
    [InlineData("parameter_server"), InlineData("pipeline")]
    public void ModesWithPointToPointTrafficRunOnTheBackendTheyNameAndRefuseClosedForm(string mode)
    {
        Func<string, string> yaml = mode == "pipeline" ? TrainingYaml.Pipeline : TrainingYaml.ParameterServer;
        foreach (var backend in new[] { "analytical", "flow" })
        {
            var s = TrainingScenario.Parse(yaml(backend), "t.yaml");
            Assert.Equal(backend, s.Backend.Name);
            AssertRunsOn(s);
        }
        var refused = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(yaml("closed_form"), "t.yaml"));
        var error = Assert.Single(refused.Errors);
        Assert.Equal("network.backend", error.Path);
        Assert.Equal(4, error.Location.Line);
        Assert.Contains($"training.mode {mode} sends point-to-point traffic, so use one of: analytical, flow", error.Message);
    }

    [Fact]
    public void ResultsNameTheBackendThatRan()
    {
        foreach (var backend in NetworkBackends.Registry.Entries)
        {
            var s = TrainingScenario.Parse(TrainingYaml.DataParallel(backend: backend.Name), "t.yaml");
            var info = ResultsFolder.Info(ScenarioRunner.Run(s)).ToDictionary(kv => kv.Key, kv => kv.Value);
            Assert.StartsWith(backend.Summary + ",", info["network"]);
        }
    }

    [Fact]
    public void OnlyModesWithAOneGpuVersionHaveABaseline()
    {
        Assert.NotNull(ResultsFolder.SingleGpuBaseline(TrainingScenario.Parse(TrainingYaml.DataParallel(), "t.yaml")));
        Assert.NotNull(ResultsFolder.SingleGpuBaseline(TrainingScenario.Parse(TrainingYaml.DataParallel("local_sgd"), "t.yaml")));
        Assert.Null(ResultsFolder.SingleGpuBaseline(TrainingScenario.Parse(TrainingYaml.ParameterServer("flow"), "t.yaml")));
        Assert.Null(ResultsFolder.SingleGpuBaseline(TrainingScenario.Parse(TrainingYaml.Pipeline("flow"), "t.yaml")));
    }

    /// <summary>The mode's network is the one the backend names (none for closed form), and the job finishes on it.</summary>
    private static void AssertRunsOn(TrainingScenario s)
    {
        var sim = new Simulation(s.Seed);
        var run = s.Mode.Build(s, sim);
        switch (s.Backend.Name)
        {
            case "closed_form": Assert.Null(run.Network); break;
            case "analytical": Assert.IsType<AnalyticalNetwork>(run.Network); break;
            default: Assert.IsType<FlowNetwork>(run.Network); break;
        }
        var result = Sim.Models.Training.TrainingJob.RunToEnd(sim, run.Job);
        Assert.True(result.Iterations > 0 && result.MeanIterationTime > 0, $"{s.Mode.Name} on {s.Backend.Name} produced no iterations");
    }
}
