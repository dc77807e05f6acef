using Sim.Models.Compute;
using Sim.Models.Workloads;
using Sim.Calibration.Profiles;

namespace Sim.Calibration.Fitting;

/// <summary>
/// The simulator's compute model backed by a calibration profile, like a route planner fed with
/// speeds measured on this town's own roads: a layer's time is the fitted time of the operation
/// that implements it at the layer's problem size, else of its operation class, else the measured
/// roofline. Zoo layer kinds map to profiled operations and classes: matmul to aten::linear
/// (class matmul), attention (batched matrix products) to class matmul, conv to aten::conv2d,
/// elementwise to aten::add (class elementwise), norm to aten::layer_norm (a memory-bound
/// normalisation). Backward passes of
/// compute-bound layers run kernels of the forward's size (input gradient and weight gradient),
/// so their time is (backward FLOPs / forward FLOPs) x t(forward work); memory-bound backward
/// passes move about twice the forward's bytes in one pass.
/// </summary>
public sealed class CalibratedCompute : IComputeModel
{
    private readonly ComputeModel _compute;
    private readonly string _source;

    public CalibratedCompute(CalibrationProfile profile, string source)
    {
        _compute = profile.Compute();
        _source = source;
        Profile = profile;
        PeakFlops = profile.Roofline.PeakFlopsPerSecond;
        Hardware = profile.Hardware;
        // A CPU profile measured on another CPU predicts that CPU, not this one: say so wherever the compute
        // model is described (a scenario's summary, the CLI), since it may be a deliberate what-if or a mistake.
        var differences = profile.Hardware.Device == "cpu"
            ? HardwareIdentity.Differences(profile.Hardware, HardwareIdentity.ThisCpu(profile.Hardware.Threads, "", ""))
            : [];
        HardwareWarning = differences.Count == 0 ? null : $"measured on other hardware than this machine: {string.Join("; ", differences)}";
    }

    /// <summary>Why the profile may not describe the machine this runs on (a CPU profile from another CPU
    /// model or CPU count), or null. <see cref="Describe"/> includes it.</summary>
    public string? HardwareWarning { get; }

    public double PeakFlops { get; }

    /// <summary>The profile behind this model (its links give, for example, gloo's per-rank CPU cost).</summary>
    public CalibrationProfile Profile { get; }

    public Traces.HardwareDescription Hardware { get; }

    /// <summary>The profiled operation and class a zoo layer kind is timed with; (none, null) means roofline.</summary>
    public static (string op, string? opClass) OperationFor(string layerKind) => layerKind switch
    {
        "matmul" => ("aten::linear", "matmul"),
        "attention" => ("", "matmul"),
        "conv" => ("aten::conv2d", "conv2d"),
        "elementwise" => ("aten::add", "elementwise"),
        "norm" => ("aten::layer_norm", "layernorm"),
        _ => ("", null),
    };

    public double LayerTime(Layer layer, Phase phase, int batch)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be at least 1");
        var (op, opClass) = OperationFor(layer.Kind);
        double flops = layer.ForwardFlops * batch, bytes = layer.ForwardBytes * batch;
        if (phase == Phase.Forward) return Time(op, opClass, flops, bytes);
        bool computeBound = opClass is "matmul" or "conv2d";
        if (computeBound && layer.ForwardFlops > 0)
            return layer.BackwardFlops / layer.ForwardFlops * Time(op, opClass, flops, bytes);
        return Time(op, opClass, layer.BackwardFlops * batch, 2 * bytes);
    }

    private double Time(string op, string? opClass, double flops, double bytes) =>
        flops <= 0 && bytes <= 0 ? 0 : _compute.Seconds(op, opClass, flops, bytes);

    public string Describe() =>
        $"calibrated from {_source} ({Hardware.CpuModel}{(Hardware.GpuModel is null ? "" : ", " + Hardware.GpuModel)}, {Hardware.Device}, {Hardware.Threads} thread(s), torch {Hardware.TorchVersion}{(Hardware.Library is null ? "" : ", " + Hardware.Library)})"
        + (HardwareWarning is null ? "" : $"; warning: {HardwareWarning}");
}
