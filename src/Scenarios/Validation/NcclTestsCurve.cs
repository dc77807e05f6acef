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
/// </summary>
public sealed record NcclTestsCurve(
    string Name,
    string System,
    string Source,
    string Preset,
    int Nodes,
    double? NetworkGBpsPerNode,
    IReadOnlyList<(long Bytes, double Microseconds)> Points)
{
    /// <summary>The communicator NCCL's model sees for this machine.</summary>
    public NcclSystem NcclSystem
    {
        get
        {
            var sys = Sim.Models.Collectives.Nccl.NcclSystem.For(HardwarePresets.Node(Preset), Nodes);
            return NetworkGBpsPerNode is { } net ? sys with { InterGBps = net } : sys;
        }
    }

    /// <summary>Measured nccl-tests bus bandwidth at <paramref name="point"/>, GB/s.</summary>
    public double MeasuredBusGBps((long Bytes, double Microseconds) point) =>
        BusBandwidth.Of(CollectiveKind.AllReduce, NcclSystem.Ranks, point.Bytes, point.Microseconds * 1e-6) / 1e9;

    /// <summary>Bus bandwidth NCCL's tuning model predicts at <paramref name="bytes"/>, GB/s.</summary>
    public double PredictedBusGBps(long bytes)
    {
        var sys = NcclSystem;
        double seconds = NcclTuningModel.Choose(CollectiveKind.AllReduce, sys, bytes).Seconds;
        return BusBandwidth.Of(CollectiveKind.AllReduce, sys.Ranks, bytes, seconds) / 1e9;
    }

    /// <summary>Relative error of the predicted bus bandwidth at each point from <paramref name="minBytes"/>
    /// to <paramref name="maxBytes"/> ((predicted - measured) / measured).</summary>
    public IReadOnlyList<(long Bytes, double Measured, double Predicted, double Error)> Compare(long minBytes = 1L << 10, long maxBytes = 8L << 30) =>
        Points.Where(p => p.Bytes >= minBytes && p.Bytes <= maxBytes)
            .Select(p => { double m = MeasuredBusGBps(p), q = PredictedBusGBps(p.Bytes); return (p.Bytes, m, q, (q - m) / m); })
            .ToList();
}
