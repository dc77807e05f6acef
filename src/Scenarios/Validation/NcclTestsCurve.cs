using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Hardware;

namespace Sim.Scenarios.Validation;

/// <summary>
/// One published nccl-tests size sweep (all_reduce_perf, out-of-place column) of a real cluster: the
/// measured time per size, the hardware facts needed to simulate it and where it was published. Like a
/// dynamometer chart of a real engine, it is checked point by point against <c>sim collective --algo nccl</c>.
/// <paramref name="NetworkGBpsPerNode"/> overrides the preset's NIC total where the measured machine's
/// network differs from the preset's (a cloud instance type); null keeps the preset's.
/// <paramref name="NetLatencyMicroseconds"/> is the network latency the machine's NCCL network plugin
/// reports to NCCL (<see cref="Sim.Models.Collectives.Nccl.NcclSystem.NetLatencyMicroseconds"/>); 0 for
/// NCCL's own InfiniBand transport. <paramref name="AmdHost"/> overrides the preset's host CPU vendor where
/// the measured machine's differs (NCCL's LL caps and per-step network overhead depend on it); null keeps
/// the preset's. <paramref name="SimpleOnly"/>: the run set NCCL_PROTO=simple.
/// <paramref name="NcclMinorVersion"/>: the NCCL 2.x the run used, where its source shows it (the tuner's
/// tables changed in 2.21, <see cref="Sim.Models.Collectives.Nccl.NcclSystem.NcclMinorVersion"/>).
/// <paramref name="NvlsDisabled"/>: the run set NCCL_NVLS_ENABLE=0. <paramref name="SimpleBufferBytes"/>: the run's
/// NCCL_BUFFSIZE (NCCL's 4 MiB unless set). <paramref name="PublicationKey"/>: the publication two or more curves
/// share (null: the curve is its own). The points are successive powers of two, as published (1 KiB to 8 GiB where the source has them).
/// </summary>
public sealed record NcclTestsCurve(
    string Name,
    string System,
    string Source,
    string Preset,
    int Nodes,
    double? NetworkGBpsPerNode,
    IReadOnlyList<(long Bytes, double Microseconds)> Points,
    double NetLatencyMicroseconds = 0,
    bool? AmdHost = null,
    bool SimpleOnly = false,
    int NcclMinorVersion = Sim.Models.Collectives.Nccl.NcclSystem.DefaultNcclMinorVersion,
    bool NvlsDisabled = false,
    long SimpleBufferBytes = Sim.Models.Collectives.Nccl.NcclSystem.DefaultSimpleBufferBytes,
    string? PublicationKey = null)
{
    /// <summary>The source the published suite counts this curve's row under:
    /// <see cref="PublicationKey"/> where two curves come from one publication (so they count as one source), else the curve's name.</summary>
    public string SourceKey => PublicationKey ?? Name;

    /// <summary>The communicator NCCL's model sees for this machine.</summary>
    public NcclSystem NcclSystem
    {
        get
        {
            var sys = Sim.Models.Collectives.Nccl.NcclSystem.For(HardwarePresets.Node(Preset), Nodes);
            if (NetworkGBpsPerNode is { } net) sys = sys with { InterGBps = net };
            if (AmdHost is { } amd) sys = sys with { AmdHost = amd };
            // NCCL_NVLS_ENABLE=0: NCCL offers neither NVLS nor NVLS-tree, as on a switch without NVLink SHARP.
            if (NvlsDisabled) sys = sys with { NvlsCapable = false };
            return sys with { NetLatencyMicroseconds = NetLatencyMicroseconds, SimpleOnly = SimpleOnly, NcclMinorVersion = NcclMinorVersion, SimpleBufferBytes = SimpleBufferBytes };
        }
    }

    /// <summary>Measured nccl-tests bus bandwidth at <paramref name="point"/>, GB/s.</summary>
    public double MeasuredBusGBps((long Bytes, double Microseconds) point) =>
        BusBandwidth.Of(CollectiveKind.AllReduce, NcclSystem.Ranks, point.Bytes, point.Microseconds * 1e-6) / 1e9;

    /// <summary>Bus bandwidth predicted for NCCL as it runs (<see cref="NcclCollectiveTime.Predict"/>) at <paramref name="bytes"/>, GB/s.</summary>
    public double PredictedBusGBps(long bytes)
    {
        var sys = NcclSystem;
        double seconds = NcclCollectiveTime.Predict(CollectiveKind.AllReduce, sys, bytes).Seconds;
        return BusBandwidth.Of(CollectiveKind.AllReduce, sys.Ranks, bytes, seconds) / 1e9;
    }

    /// <summary>Relative error of the predicted bus bandwidth at each point from <paramref name="minBytes"/>
    /// to <paramref name="maxBytes"/> ((predicted - measured) / measured).</summary>
    public IReadOnlyList<(long Bytes, double Measured, double Predicted, double Error)> Compare(long minBytes = 1L << 10, long maxBytes = 8L << 30) =>
        Points.Where(p => p.Bytes >= minBytes && p.Bytes <= maxBytes)
            .Select(p => { double m = MeasuredBusGBps(p), q = PredictedBusGBps(p.Bytes); return (p.Bytes, m, q, (q - m) / m); })
            .ToList();

    /// <summary>The size bands errors are reported in: latency-bound (1-64 KiB), the protocol and algorithm
    /// crossovers (128 KiB-4 MiB), the pipelines filling (8-256 MiB), bandwidth-bound (512 MiB-8 GiB).</summary>
    public static IReadOnlyList<(string Label, long MinBytes, long MaxBytes)> Bands { get; } =
    [
        ("1-64 KiB", 1L << 10, 64L << 10),
        ("128 KiB-4 MiB", 128L << 10, 4L << 20),
        ("8-256 MiB", 8L << 20, 256L << 20),
        ("512 MiB-8 GiB", 512L << 20, 8L << 30),
    ];

    /// <summary>Per band: the error of largest magnitude (signed) and the mean |error|; NaN for both where
    /// the curve has no point in the band.</summary>
    public IReadOnlyList<(string Label, double Worst, double MeanAbs)> BandErrors() =>
        Bands.Select(b =>
        {
            var rows = Compare(b.MinBytes, b.MaxBytes);
            if (rows.Count == 0) return (b.Label, double.NaN, double.NaN);
            var worst = rows.MaxBy(r => Math.Abs(r.Error)).Error;
            return (b.Label, worst, rows.Average(r => Math.Abs(r.Error)));
        }).ToList();
}
