using Sim.Calibration.Fitting;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiles;

/// <summary>
/// A calibration profile: everything the simulator needs to know about one machine's speed, like
/// a vehicle's homologation sheet. Versioned (schema "sim-calibration-profile"; version 2: links
/// may carry the host CPU work of their collective; 3: and its cost in DDP's pattern; 4: and what a
/// real DDP step costs a rank per bucket, <c>ddp_step_cpu_*</c>; 5: and the wall time a DDP bucket adds to a
/// step, <c>ddp_step_wall_*</c>, the co-run compute factor, <c>co_run_compute_factor</c> (and, optional, <c>co_run_conv_compute_factor</c> for
/// convolutions), and what DDP costs a single
/// process per bucket, <c>ddp_alone_cpu_*</c>; 6: and, optional, what DDP costs per parameter tensor beyond those lines,
/// <c>ddp_step_cpu_s_per_tensor</c> and <c>ddp_alone_cpu_s_per_tensor</c>, and what DDP's buffer sync costs a single process,
/// <c>ddp_alone_buffer_sync_*</c>; 7: and, optional, what the buffer broadcast before every forward costs each of two free-running
/// ranks, <c>ddp_buffer_broadcast_*</c>; 8: and, optional, the wall time it adds to such a step, <c>ddp_buffer_broadcast_wall_*</c>;
/// 9: and, optional, what DDP costs a single process once per step, <c>ddp_alone_cpu_s_per_step</c> (with it, <c>ddp_alone_cpu_*</c>
/// and <c>ddp_alone_cpu_s_per_tensor</c> are the same four-term fit's other terms); versions 1 to 8 are still read, and
/// <see cref="LinkFit.HostCpuPerDdpBucket"/> falls back to the best cost they carry); it
/// records the hardware it came from, when the measurements were taken (copied from the
/// measurements, never the clock at fitting time, so fitting twice gives identical files), which
/// clock timed the kernels (see <see cref="Traces.MeasurementSet.Clock"/>), the
/// roofline, per-operation and per-class efficiency curves, per-model step curves, alpha-beta
/// link costs and the step-time jitter distribution.
/// </summary>
public sealed record CalibrationProfile(
    int SchemaVersion,
    string Created,
    string Clock,
    HardwareDescription Hardware,
    Roofline Roofline,
    IReadOnlyList<OperationFit> Operations,
    IReadOnlyList<OperationFit> OperationClasses,
    IReadOnlyList<ModelStepFit> Models,
    IReadOnlyList<LinkFit> Links,
    JitterModel? Jitter,
    IReadOnlyList<SourceFile> Sources)
{
    public const string Schema = "sim-calibration-profile";
    public const int CurrentSchemaVersion = 9;
    public static readonly int[] SupportedSchemaVersions = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    /// <summary>The compute predictor backed by this profile's curves and roofline.</summary>
    public ComputeModel Compute() => new(Operations, OperationClasses, Roofline);

    public ModelStepFit Model(string name) =>
        Models.FirstOrDefault(m => m.Model == name)
        ?? throw new KeyNotFoundException($"the profile has no step curve for model '{name}' (has: {string.Join(", ", Models.Select(m => m.Model))})");
}
