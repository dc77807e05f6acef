using Sim.Calibration.Fitting;
using Sim.Core;
using Sim.Models.Compute;
using Sim.Models.Training;
using Sim.Models.Workloads;
using Sim.Scenarios.Training;
using Sim.Scenarios.Training.Modes;
using Sim.Scenarios.Tests.Fixtures;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests.Registries;

/// <summary>
/// The shared-CPU-host data-parallel mode (<see cref="CpuHostDataParallelMode"/>), the host model `sim validate
/// ddp` uses, reached from a scenario file: closed forms for one worker (its own work), n workers on fewer
/// cores (processor sharing: n/c times the work), the all-reduce CPU cost taken from the profile's gloo fit,
/// and located errors for incomplete settings.
/// </summary>
public sealed class CpuHostDataParallelModeTests
{
    private static string Yaml(int workers, string host, string compute = "") =>
        "name: t\ncluster: {preset: dgx-a100, nodes: 1}\nmodel: {zoo: resnet50}\nnetwork: {backend: flow, collective: ring}\n" + compute +
        $"training: {{mode: cpu_host_data_parallel, workers: {workers}, micro_batch: 4, iterations: 5}}\ncpu_host: {host}\noutputs: {{timeline: false, report: false}}\n";

    private static (TrainingScenario Scenario, TrainingResult Result, double OwnWork) Run(string yaml)
    {
        var s = TrainingScenario.Parse(yaml, "t.yaml");
        var sim = new Simulation(s.Seed);
        var result = TrainingJob.RunToEnd(sim, s.Mode.Build(s, sim).Job);
        var layers = s.DataParallel.Model.Layers;
        double own = layers.Sum(l => s.Compute.LayerTime(l, Phase.Forward, 4) + s.Compute.LayerTime(l, Phase.Backward, 4))
                     + (s.DataParallel.OptimizerSeconds ?? SyncDataParallel.OptimizerEstimate(s.Compute, s.DataParallel.Model.Parameters));
        return (s, result, own);
    }

    [Fact]
    public void OneWorkerTakesItsOwnWork()
    {
        var (s, result, own) = Run(Yaml(1, "{cores: 2}"));
        Assert.IsType<CpuHostDataParallelMode>(s.Mode);
        Assert.Equal(5, result.Iterations);
        Assert.All(result.IterationTimes, t => Assert.Equal(own, t, own * 1e-12));
    }

    [Theory]
    [InlineData(2, 1, 2.0)]   // two one-thread processes on one core: each gets half of it
    [InlineData(2, 2, 1.0)]   // a core each
    [InlineData(4, 2, 2.0)]
    public void WorkersBeyondTheCoresShareThemWhenCommunicationIsFree(int workers, int cores, double factor)
    {
        var (_, result, own) = Run(Yaml(workers, $"{{cores: {cores}, allreduce_cpu_alpha_us: 0, allreduce_cpu_ns_per_byte: 0}}"));
        Assert.All(result.IterationTimes, t => Assert.Equal(factor * own, t, own * 1e-9));
        Assert.Equal(workers, result.Workers);
    }

    [Fact]
    public void AllReduceCpuCostAndBackgroundLoadSlowTheJob()
    {
        var free = Run(Yaml(2, "{cores: 2, allreduce_cpu_alpha_us: 0, allreduce_cpu_ns_per_byte: 0}")).Result.P50;
        var paid = Run(Yaml(2, "{cores: 2, allreduce_cpu_alpha_us: 100, allreduce_cpu_ns_per_byte: 0.3}")).Result.P50;
        var loaded = Run(Yaml(2, "{cores: 2, background_cores: [1.0], allreduce_cpu_alpha_us: 100, allreduce_cpu_ns_per_byte: 0.3}")).Result.P50;
        Assert.True(paid > free, $"{paid} vs {free}");
        Assert.True(loaded > paid, $"{loaded} vs {paid}");
    }

    [Fact]
    public void TheProfilesMeasuredGlooCpuCostIsUsed()
    {
        string profilePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepositoryPaths.Docs("x"))!, "..", "traces", "cpu-amd-epyc", "profile.json"));
        var s = TrainingScenario.Parse(Yaml(2, "{cores: 2}", $"compute: {{precision: fp32, profile: {profilePath}}}\n"), "t.yaml");
        var link = ((CalibratedCompute)s.Compute).Profile.Links.Single(l => l.Backend == "gloo" && l.Collective == "all_reduce");
        var cpu = link.HostCpuPerDdpBucket!;
        Assert.Equal(cpu.Line.AlphaSeconds, s.CpuHost!.AllReduceCpuAlphaSeconds);
        Assert.Equal(cpu.Line.BetaSecondsPerByte, s.CpuHost.AllReduceCpuSecondsPerByte);
    }

    [Fact]
    public void BatchNormBuffersAreBroadcastBeforeEachForward_PricedByTheProfile()
    {
        // ResNet-50's 53 BatchNorm layers hold 26,560 channels (stem 64; stages 3 x 384 + 256, 4 x 768 + 512,
        // 6 x 1536 + 1024, 3 x 3072 + 2048): 53,120 trainable parameters (torchvision's count) and, as buffers, a
        // float32 running mean and variance per channel and an int64 counter per layer: 26,560 x 8 + 53 x 8 = 212,904 B.
        string profilePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepositoryPaths.Docs("x"))!, "..", "traces", "cpu-amd-epyc", "profile.json"));
        var s = TrainingScenario.Parse(Yaml(2, "{cores: 2}", $"compute: {{precision: fp32, profile: {profilePath}}}\n"), "t.yaml");
        var norms = s.DataParallel.Model.Layers.Where(l => l.BufferBytes > 0).ToList();
        Assert.Equal(53, norms.Count);
        Assert.Equal(53_120, norms.Sum(l => l.Parameters));
        Assert.Equal(212_904, s.DataParallel.Model.Layers.Sum(l => l.BufferBytes));
        // 159 buffer tensors (3 per layer): with profile v7's in-loop line the CPU per rank is that line at 159 tensors
        Assert.Equal(159, s.DataParallel.Model.Layers.Sum(l => l.BufferTensors));
        var links = ((CalibratedCompute)s.Compute).Profile.Links;
        var expected = BufferBroadcastCost.FromGloo(links, 2, 212_904, 159)!;
        Assert.True(expected.WallSeconds > 0 && expected.CpuSeconds > 0);
        if (links.Single(l => l.Backend == "gloo" && l.Collective == "all_reduce").DdpBufferBroadcast is { } inLoop)
            Assert.Equal(inLoop.Seconds(159), expected.CpuSeconds);
        Assert.Equal(expected.CpuSeconds, s.CpuHost!.BufferBroadcastCpuSeconds);
        Assert.Equal(expected.WallSeconds, s.CpuHost.BufferBroadcastWallSeconds);
        // one worker broadcasts to nobody; explicit all-reduce costs without a profile price no broadcast
        var one = TrainingScenario.Parse(Yaml(1, "{cores: 2}", $"compute: {{precision: fp32, profile: {profilePath}}}\n"), "t.yaml");
        Assert.Equal(0, one.CpuHost!.BufferBroadcastWallSeconds);
        Assert.Equal(0, Run(Yaml(2, "{cores: 2, allreduce_cpu_alpha_us: 0, allreduce_cpu_ns_per_byte: 0}")).Scenario.CpuHost!.BufferBroadcastWallSeconds);
    }

    [Fact]
    public void OneWorkerPaysTheProfilesDdpTermsPerTensor_AsSimValidateDdpDoes()
    {
        // Oracle: the one-worker job's CPU per iteration grows by exactly the profile's single-process cost per parameter
        // tensor times ResNet-50's 161 parameter tensors (53 convolutions without bias, 53 BatchNorms x 2, fc weight and
        // bias), plus one buffer sync of its 159 buffer tensors (53 BatchNorms x 3), over the same job without these terms.
        string profilePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepositoryPaths.Docs("x"))!, "..", "traces", "cpu-amd-epyc", "profile.json"));
        var s = TrainingScenario.Parse(Yaml(1, "{cores: 2}", $"compute: {{precision: fp32, profile: {profilePath}}}\n"), "t.yaml");
        var link = ((CalibratedCompute)s.Compute).Profile.Links.Single(l => l.Backend == "gloo" && l.Collective == "all_reduce");
        var layers = s.DataParallel.Model.Layers;
        Assert.Equal(161, layers.Sum(l => l.ParameterTensors!.Value));
        Assert.Equal(159, layers.Sum(l => l.BufferTensors));
        double perTensor = link.DdpAloneCpuPerTensor!.Value, sync = link.DdpAloneBufferSync!.Seconds(159);
        Assert.True(perTensor > 0 && sync > 0);
        Assert.Equal(perTensor, s.CpuHost!.Tensors.CpuPerTensor(1));
        Assert.Equal(link.DdpAloneComputeThreadShare!.Value, s.CpuHost.Tensors.AloneComputeThreadShare);

        double With(CpuHostSettings host) => new CpuHostTrainingJob(new Simulation(1), s.DataParallel, s.Compute, host).CpuSecondsPerIteration;
        double paid = With(s.CpuHost), free = With(s.CpuHost with { TensorCosts = null });
        Assert.Equal(perTensor * 161 + sync, paid - free, 1e-12);
    }

    [Fact]
    public void OneWorkerPaysAVersion9ProfilesPerStepTerm_OnceAnIteration_AndTwoWorkersDoNot()
    {
        // Oracle: the committed profile as version 9 with a single-process cost per step (60 us, the committed measurements' fit):
        // one worker's CPU per iteration grows by exactly that term; two workers pay none of it.
        string committed = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepositoryPaths.Docs("x"))!, "..", "traces", "cpu-amd-epyc", "profile.json"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(committed))!;
        json["version"] = 9;
        foreach (var l in json["links"]!.AsArray())
            if ((string?)l!["backend"] == "gloo" && (string?)l["collective"] == "all_reduce") l["ddp_alone_cpu_s_per_step"] = 60e-6;
        string dir = Directory.CreateTempSubdirectory("sim-v9-").FullName;
        try
        {
            string profilePath = Path.Combine(dir, "profile.json");
            File.WriteAllText(profilePath, json.ToJsonString());
            foreach (int workers in new[] { 1, 2 })
            {
                var s = TrainingScenario.Parse(Yaml(workers, "{cores: 2}", $"compute: {{precision: fp32, profile: {profilePath}}}\n"), "t.yaml");
                Assert.Equal(60e-6, s.CpuHost!.Tensors.AloneCpuPerStepSeconds);
                double With(CpuHostSettings host) => new CpuHostTrainingJob(new Simulation(1), s.DataParallel, s.Compute, host).CpuSecondsPerIteration;
                double paid = With(s.CpuHost), free = With(s.CpuHost with { TensorCosts = s.CpuHost.Tensors with { AloneCpuPerStepSeconds = 0 } });
                Assert.Equal(workers == 1 ? 60e-6 : 0, paid - free, 1e-12);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void IncompleteSettingsAreLocatedErrors()
    {
        var half = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml(2, "{cores: 2, allreduce_cpu_alpha_us: 5}"), "t.yaml"));
        Assert.Contains("allreduce_cpu_ns_per_byte", half.Message);
        Assert.Contains("t.yaml", half.Message);
        // two workers, a roofline compute model (no profile) and no explicit cost: nothing measured to use
        var none = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml(2, "{cores: 2}"), "t.yaml"));
        Assert.Contains("compute.profile", none.Message);
        var missing = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml(1, "{cores: 2}").Replace("cpu_host: {cores: 2}\n", ""), "t.yaml"));
        Assert.Contains("cpu_host", missing.Message);
    }
}
