using Sim.Core;
using Sim.Models.Network;
using Sim.Models.Training;
using Sim.Scenarios.Training;
using Sim.Scenarios.Training.Modes;

namespace Sim.Scenarios.Tests.Registries;

/// <summary>
/// The local SGD mode (its own file, <see cref="LocalSgdMode"/>): it reads <c>training.local_steps</c>,
/// and one round of H local steps plus model averaging costs exactly H (forward + backward + optimizer)
/// plus one closed-form all-reduce per bucket.
/// </summary>
public sealed class LocalSgdModeTests
{
    [Fact]
    public void LocalStepsAreReadOnlyForLocalSgd()
    {
        var local = TrainingScenario.Parse(TrainingYaml.DataParallel("local_sgd", extraTraining: ", local_steps: 3"), "t.yaml");
        Assert.IsType<LocalSgdMode>(local.Mode);
        Assert.Equal(3, local.DataParallel.LocalSteps);
        var sync = TrainingScenario.Parse(TrainingYaml.DataParallel("data_parallel", extraTraining: ", local_steps: 3"), "t.yaml");
        Assert.Equal(1, sync.DataParallel.LocalSteps);
    }

    [Theory]
    [InlineData(2), InlineData(4)]
    public void EachIterationIsOneHthOfHStepsPlusOneClosedFormAveraging(int h)
    {
        var s = TrainingScenario.Parse(TrainingYaml.DataParallel("local_sgd", "closed_form", $", local_steps: {h}", iterations: 4 * h), "t.yaml");
        var sim = new Simulation(s.Seed);
        var run = s.Mode.Build(s, sim);
        var job = Assert.IsType<SyncDataParallel>(run.Job);
        var result = TrainingJob.RunToEnd(sim, job);

        var formula = ClosedFormAllReduce.ForTopology(new Simulation(0), ClusterTopology.Build(s.Cluster), Enumerable.Range(0, s.Workers).ToArray(),
            s.Collective, s.Cluster.Node.DevicesPerNode);
        double averaging = job.Buckets.Bytes.Sum(formula.Time);
        double expected = (h * (job.ForwardSeconds + job.BackwardSeconds + job.OptimizerSeconds) + averaging) / h;
        Assert.Equal(4 * h, result.Iterations);
        Assert.All(result.IterationTimes, t => Assert.Equal(expected, t, 1e-12));
        Assert.Equal($"local SGD (H={h})", result.Strategy);
    }
}
