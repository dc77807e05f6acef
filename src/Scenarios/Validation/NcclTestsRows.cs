using Sim.Models.Collectives;

namespace Sim.Scenarios.Validation;

/// <summary>
/// The published nccl-tests sweeps (<see cref="NcclTestsCurves"/>) as rows of the published suite: the
/// bus bandwidth at the largest size, where the collective is bandwidth-bound. The suite compares
/// plateaus; the whole curves, 1 KiB to 8 GiB, are held to their own committed errors by the curve tests.
/// Only curves whose machine a preset describes as measured enter the suite (a curve measured on a
/// network other than its preset's, or published only to smaller sizes, keeps to the curve tests). The
/// four-node nccl-tests #309 run was on VMware VMs with the GPUs and NICs passed through: the preset's
/// hardware, counted as measured on it. Curves from one publication count as one source
/// (<see cref="NcclTestsCurve.SourceKey"/>).
/// </summary>
public static class NcclTestsRows
{
    /// <summary>One row per curve on a preset's own network, at 8 GiB.</summary>
    public static IReadOnlyList<PublishedMeasurement> All { get; } = NcclTestsCurves.All
        .Where(c => c.NetworkGBpsPerNode is null && c.Points.Any(p => p.Bytes == 8L << 30))
        .Select(c =>
        {
            var plateau = c.Points.Single(p => p.Bytes == 8L << 30);
            return new PublishedMeasurement(
                Name: c.Name + "-8gib", System: c.System, Source: c.Source, Metric: "busbw_GBps",
                Measured: c.MeasuredBusGBps(plateau), Unit: "GB/s", ScenarioYaml: "",
                Caveats: "Out-of-place column; the whole sweep is checked by NcclTestsCurveTests.",
                SourceKey: c.SourceKey, Collective: new CollectiveProbe(c.Preset, c.Nodes, CollectiveKind.AllReduce, plateau.Bytes));
        })
        .ToList();
}
