using Sim.Models.Compute;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>Models with hand-chosen layer times, so pipeline schedules can be checked by hand.</summary>
internal static class PipelineFixtures
{
    /// <summary><paramref name="layers"/> identical blocks: forward 1 ms, backward 2 ms, 1M parameters,
    /// 1 MB activations out; the compute model replays those times.</summary>
    public static (ModelSpec Model, MeasuredCompute Compute) UniformBlocks(int layers, double forward = 1e-3, double backward = 2e-3,
        double activationBytes = 1e6)
    {
        var list = Enumerable.Range(0, layers).Select(i => new Layer
        {
            Name = $"block{i}", Kind = "attention", ForwardFlops = 1e9, BackwardFlops = 2e9,
            Parameters = 1e6, OutputActivationBytes = activationBytes, StoredActivationBytes = 4 * activationBytes,
        }).ToList();
        var times = list.ToDictionary(l => l.Name, _ => (forward, backward));
        return (new ModelSpec { Name = $"uniform-{layers}", Layers = list }, new MeasuredCompute(times, 1, 100e12, "hand-made table"));
    }

    /// <summary>A100 bf16 roofline at 50% of peak FLOP/s and 80% of memory bandwidth (test input, not a calibration).</summary>
    public static RooflineCompute Roofline() =>
        new(HardwarePresets.A100Sxm80.PeakFlopsFor(Sim.Models.Hardware.Precision.Bf16), HardwarePresets.A100Sxm80.MemoryBandwidth, 0.5, 0.8);
}
