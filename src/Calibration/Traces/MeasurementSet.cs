namespace Sim.Calibration.Traces;

/// <summary>
/// Everything one profiler run measured, like a complete test-bench report: the machine, the
/// kernel grid, the model training steps, the collective micro-benchmarks and (v3) gloo in DDP's
/// communication pattern, and (v4) what real DDP steps of synthetic models cost a rank (v5: with the plain step on
/// one rank alone, and in a single process; v6: a single process's buffer sync; v8: two ranks' buffer broadcast in a
/// training loop; v10: the machine's speed while the steps ran, <see cref="SpeedReference"/>). <see cref="Clock"/>
/// says how kernels and steps were timed: "process_cpu" (CPU time of a one-thread process, immune
/// to other processes on a shared machine) or "wall".
/// </summary>
public sealed record MeasurementSet(
    string Created,
    string Clock,
    HardwareDescription Hardware,
    IReadOnlyList<OpMeasurement> Ops,
    IReadOnlyList<ModelStepMeasurement> Models,
    IReadOnlyList<CollectiveMeasurement> Collectives,
    IReadOnlyList<DdpPatternMeasurement>? DdpPattern = null,
    IReadOnlyList<DdpStepMeasurement>? DdpSteps = null,
    string? Allocator = null,
    IReadOnlyList<DdpBufferSyncMeasurement>? DdpBufferSync = null,
    IReadOnlyList<DdpBufferBroadcastMeasurement>? DdpBufferBroadcast = null,
    SpeedReferenceMeasurement? SpeedReference = null)
{
    /// <summary>The two-rank buffer broadcast benchmark's configurations (v8; empty for older files).</summary>
    public IReadOnlyList<DdpBufferBroadcastMeasurement> DdpBufferBroadcastRows => DdpBufferBroadcast ?? [];

    /// <summary>The DDP buffer sync benchmark's configurations (v6; empty for older files).</summary>
    public IReadOnlyList<DdpBufferSyncMeasurement> DdpBufferSyncRows => DdpBufferSync ?? [];

    /// <summary>The malloc settings the Python profiler pins in every process it starts (sim-measurements v6, <c>allocator</c>):
    /// glibc's mmap and trim thresholds fixed, so a step's cost does not depend on what the process allocated before.</summary>
    public const string PinnedGlibcAllocator = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456";

    /// <summary>Whether the steps were measured with <see cref="PinnedGlibcAllocator"/>, as `sim validate ddp`'s runs are.</summary>
    public bool AllocatorPinned => Allocator == PinnedGlibcAllocator;

    /// <summary>The DDP-pattern benchmark's configurations (v3; empty for older files).</summary>
    public IReadOnlyList<DdpPatternMeasurement> DdpPatternRows => DdpPattern ?? [];

    /// <summary>The DDP step benchmark's configurations (v4; empty for older files).</summary>
    public IReadOnlyList<DdpStepMeasurement> DdpStepRows => DdpSteps ?? [];
}
