using Sim.Models.Workloads;

namespace Sim.Models.Compute;

/// <summary>
/// The roofline model (Williams, Waterman and Patterson, CACM 2009): an operation is limited either by
/// arithmetic (FLOPs / peak FLOP/s) or by memory traffic (bytes / memory bandwidth), whichever takes
/// longer. Real kernels reach only a fraction of either roof, so each roof is scaled by an achieved
/// efficiency. These efficiencies are inputs, not truths: calibrate them from profiling runs
/// (<c>sim calibrate</c>) for predictions you can trust. A fixed launch overhead per layer pass
/// models kernel-launch and framework costs that dominate tiny layers.
/// </summary>
public sealed class RooflineCompute : IComputeModel
{
    public RooflineCompute(double peakFlops, double memoryBandwidth, double flopEfficiency, double memoryEfficiency, double overheadSeconds = 0, string device = "device")
    {
        if (!(peakFlops > 0)) throw new ArgumentOutOfRangeException(nameof(peakFlops), peakFlops, "must be > 0");
        if (!(memoryBandwidth > 0)) throw new ArgumentOutOfRangeException(nameof(memoryBandwidth), memoryBandwidth, "must be > 0");
        if (!(flopEfficiency > 0 && flopEfficiency <= 1)) throw new ArgumentOutOfRangeException(nameof(flopEfficiency), flopEfficiency, "must be in (0, 1]");
        if (!(memoryEfficiency > 0 && memoryEfficiency <= 1)) throw new ArgumentOutOfRangeException(nameof(memoryEfficiency), memoryEfficiency, "must be in (0, 1]");
        if (!(overheadSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(overheadSeconds), overheadSeconds, "must be >= 0");
        PeakFlops = peakFlops;
        MemoryBandwidth = memoryBandwidth;
        FlopEfficiency = flopEfficiency;
        MemoryEfficiency = memoryEfficiency;
        OverheadSeconds = overheadSeconds;
        Device = device;
    }

    public double PeakFlops { get; }
    public double MemoryBandwidth { get; }
    public double FlopEfficiency { get; }
    public double MemoryEfficiency { get; }
    public double OverheadSeconds { get; }
    public string Device { get; }

    public double LayerTime(Layer layer, Phase phase, int batch)
    {
        double flops = (phase == Phase.Forward ? layer.ForwardFlops : layer.BackwardFlops) * batch;
        // Backward reads and writes about twice the forward's activations (input and weight gradients).
        double bytes = (phase == Phase.Forward ? 1 : 2) * layer.ForwardBytes * batch;
        double compute = flops / (PeakFlops * FlopEfficiency);
        double memory = bytes / (MemoryBandwidth * MemoryEfficiency);
        return Math.Max(compute, memory) + OverheadSeconds;
    }

    public string Describe() =>
        $"roofline {Device}: {PeakFlops / 1e12:G4} TFLOP/s x {FlopEfficiency:G3}, {MemoryBandwidth / 1e9:G4} GB/s x {MemoryEfficiency:G3}, overhead {OverheadSeconds * 1e6:G3} us/layer";
}
