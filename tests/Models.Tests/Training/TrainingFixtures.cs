using Sim.Models.Compute;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Training;

/// <summary>Small models with hand-chosen layer times, so critical paths can be computed by hand.</summary>
internal static class TrainingFixtures
{
    /// <summary>Four layers; forward 1..4 ms, backward 2..8 ms; parameters 1M..4M (fp32 gradients 4..16 MB).</summary>
    public static (ModelSpec Model, MeasuredCompute Compute) FourLayers()
    {
        var layers = Enumerable.Range(0, 4).Select(i => new Layer
        {
            Name = $"L{i}", Kind = "matmul", ForwardFlops = 1e9 * (i + 1), BackwardFlops = 2e9 * (i + 1),
            Parameters = 1e6 * (i + 1), OutputActivationBytes = 1e6,
        }).ToList();
        var times = layers.Select((l, i) => (l.Name, (Forward: 1e-3 * (i + 1), Backward: 2e-3 * (i + 1))))
            .ToDictionary(x => x.Name, x => x.Item2);
        return (new ModelSpec { Name = "four-layer", Layers = layers }, new MeasuredCompute(times, 1, 100e12, "hand-made table"));
    }
}
