using System.Globalization;
using Sim.Scenarios.Validation;

namespace Sim.Scenarios.Tests.Validation;

/// <summary>
/// <c>sim collective --algo nccl</c> against published nccl-tests sweeps, 1 KiB to 8 GiB. The bounds are
/// each curve's worst error when it was last committed, a regression guard on the mechanisms, not a fit:
/// lower them when a mechanism improves; never raise them to pass.
/// </summary>
public sealed class NcclTestsCurveTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Committed worst |error| of bus bandwidth over 1 KiB..8 GiB, and over the bandwidth-bound
    /// part (64 MiB..8 GiB), per curve.</summary>
    private static readonly Dictionary<string, (double Worst, double Large)> Committed = new()
    {
        // At commit: p5 worst +339% at 64 KiB (the EFA latency floor, ~70 us against a modelled 25 us),
        // +96% at 64 MiB, +9.4% at 8 GiB; A3 Mega worst +527% at 16 MiB (GPUDirect-TCPXO), +3.9% at
        // 8 GiB. Within 10% only at the plateau: see docs/network.md.
        ["nccl-tests-allreduce-2x-p5"] = (3.39, 0.97),
        ["nccl-tests-allreduce-2x-a3-mega"] = (5.27, 1.98),
    };

    [Fact]
    public void EachCurveStaysWithinItsCommittedError()
    {
        Assert.Equal(Committed.Keys.Order(StringComparer.Ordinal), NcclTestsCurves.All.Select(c => c.Name).Order(StringComparer.Ordinal));
        foreach (var curve in NcclTestsCurves.All)
        {
            var rows = curve.Compare();
            Assert.Equal(24, rows.Count); // every power of two from 1 KiB to 8 GiB
            foreach (var r in rows)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{curve.Name} {r.Bytes,12} measured {r.Measured,8:F2} predicted {r.Predicted,8:F2} GB/s {100 * r.Error,+7:F1}%"));
            double worst = rows.Max(r => Math.Abs(r.Error));
            double large = rows.Where(r => r.Bytes >= 64L << 20).Max(r => Math.Abs(r.Error));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{curve.Name}: worst {100 * worst:F1}%, 64 MiB..8 GiB worst {100 * large:F1}%"));
            Assert.InRange(worst, 0, Committed[curve.Name].Worst);
            Assert.InRange(large, 0, Committed[curve.Name].Large);
            // The 8 GiB plateau, where bandwidth mechanisms alone decide, is within the 10%.
            Assert.InRange(Math.Abs(rows[^1].Error), 0, 0.10);
        }
    }
}
