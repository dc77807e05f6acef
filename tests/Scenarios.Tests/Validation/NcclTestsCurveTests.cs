using System.Globalization;
using Sim.Scenarios.Validation;

namespace Sim.Scenarios.Tests.Validation;

/// <summary>
/// <c>sim collective --algo nccl</c> against published nccl-tests sweeps, 1 KiB to 8 GiB (1 GiB where published only so far). The bounds are
/// each curve's worst error when it was last committed, a regression guard on the mechanisms, not a fit:
/// lower them when a mechanism improves; never raise them to pass.
/// </summary>
public sealed class NcclTestsCurveTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The target at the plateau (the largest size), where bandwidth mechanisms alone decide;
    /// <see cref="PlateauExceptions"/> lists the curves that miss it, each with its committed figure.</summary>
    private const double PlateauTarget = 0.10;

    /// <summary>Curves whose plateau misses <see cref="PlateauTarget"/>: the committed |error| at their largest size.</summary>
    private static readonly Dictionary<string, double> PlateauExceptions = new()
    {
        // Two XE9680 on InfiniBand, NCCL 2.26.2: NVLS-tree from 1 MiB; its plateau, 250 GB/s of algorithm
        // bandwidth (the two-p5 run's is 256), is below the 280 GB/s the NVSwitch side gives NVLS-tree and
        // above nothing the network binds: +11.1% at 8 GiB. Not met; docs/network.md says what is known.
        ["nccl-tests-allreduce-2x-hgx-h100-ib"] = 0.112,
    };

    /// <summary>Committed worst |error| of bus bandwidth over 1 KiB..8 GiB, and over the bandwidth-bound
    /// part (64 MiB..8 GiB), per curve.</summary>
    private static readonly Dictionary<string, (double Worst, double Large)> Committed = new()
    {
        // Two XE9680 (InfiniBand, NCCL 2.26.2, no plugin), added with its error as found: 1-64 KiB tree LL
        // +10..+25% (25 us against 28-34), 512 KiB +44% (one slow point: 77.7 us between 48.7 and 71.9),
        // 2-16 MiB NVLS-tree -16..-35% (its 53 us of latency and fill against 76-185 us measured: NCCL picks
        // something faster there), 64 MiB..8 GiB -12.4..+11.1% (the plateau above).
        ["nccl-tests-allreduce-2x-hgx-h100-ib"] = (0.45, 0.13),
        // Four XE9680-class VMs (InfiniBand, NCCL 2.26.2): 1-64 KiB +11..+30%, 2 MiB +119% (an outlier of the
        // run: 191 us out-of-place against 132 in-place), 4-8 MiB tree LL128 +54..+76%, 16-64 MiB NVLS-tree
        // -41..-18%, 128 MiB..8 GiB within -6.8..+1.0% (ring Simple from 4 GiB, +1.0% at 8 GiB).
        ["nccl-tests-allreduce-4x-hgx-h100-ib-vm"] = (1.20, 0.18),
        // At commit (NVLS and NVLS-tree timed with their pipeline fill, NvlsPipeline; NCCL 2.21-on tables):
        // one DGX H100 worst +57% at 4 KiB (a noisy point: 23.6 us out-of-place against 16.5 in-place),
        // 1-256 KiB +12..+26% (ring LL at 15 us against 17-20), 512 KiB-1 MiB within -4% (ring LL kept
        // to ~1.1 MB, as 2.21's tables do), 8-256 MiB within +14%, 512 MiB..8 GiB +7.5%.
        ["nccl-tests-allreduce-1x-dgx-h100"] = (0.57, 0.08),
        // One p5 (NCCL 2.23.4): the same shape, +22% at 32 KiB, +8.4% at 512 MiB.
        ["nccl-tests-allreduce-1x-p5"] = (0.22, 0.09),
        // Two p5 (EFA, aws-ofi-nccl's 75 us per network hop in NCCL's latency): NCCL's model is slower
        // than measured at small sizes, -60% at 1 KiB (175 us against 69); 64 MiB..8 GiB within -28%.
        ["nccl-tests-allreduce-2x-p5"] = (0.61, 0.28),
        // Two A3 Mega with the TCPXO settings (NCCL 2.21.5, NCCL_PROTO=Simple, NVLS off): ring Simple's
        // 153 us floor against 126-147 measured, 1-512 KiB within -18..+10%; 1-64 MiB +24..+205% (the measured
        // ~30 GB/s plateau at 4-16 MiB: Google's tuner plugin and 4 channels, not modelled), +53% at 64 MiB.
        ["nccl-tests-allreduce-2x-a3-mega"] = (2.06, 0.54),
        // Two p4de, NCCL 2.17.1, aws-ofi-nccl 1.5.0 (150 us, replacing NCCL's own network hop as 2.17 does),
        // NCCL_PROTO=simple (checked against only): NCCL's Simple latencies (tree: 28 us per NVLink hop)
        // give 692 us at 1 KiB against 161 measured (-77%); 16 MiB..1 GiB within -13..+4%.
        ["nccl-tests-allreduce-2x-p4de"] = (0.77, 0.04),
        // Two p5 on EKS, NCCL 2.18.5, 64 MiB..2 GiB excerpt (checked against only): measured 1.6-2x slower
        // than the other p5 run at 128-256 MiB, so the model is +96% there (NCCL 2.18's NVLS-tree latencies,
        // 0 inside the node and 19 us per level, make it 2 points faster than 2.19's 23 + 14 did); +2.8% at 2 GiB.
        ["nccl-tests-allreduce-2x-p5-nccl2.18"] = (0.97, 0.97),
        // One 8-GPU A100 node, one process driving all 8 GPUs (-g 8): 32 KiB-1 MiB +117..+175% (ring LL at 16-47 us
        // against 44-102 measured, not modelled), 8-256 MiB +15..+54% (ring LL128/Simple reach their bandwidth
        // later than NCCL's model says); with the kernels at the ~230 GB/s A100 achieves (nccl-tests #149, was
        // NCCL's counted 240) 512 MiB-8 GiB within -2.0..+1.9%, -2.0% at 8 GiB.
        ["nccl-tests-allreduce-1x-a100"] = (1.76, 0.24),
    };

    [Fact]
    public void EachCurveStaysWithinItsCommittedError()
    {
        Assert.Equal(Committed.Keys.Order(StringComparer.Ordinal), NcclTestsCurves.All.Select(c => c.Name).Order(StringComparer.Ordinal));
        foreach (var curve in NcclTestsCurves.All)
        {
            var rows = curve.Compare();
            // Successive powers of two up to at least 1 GiB (1 KiB to 8 GiB where published in full).
            int first = System.Numerics.BitOperations.Log2((ulong)rows[0].Bytes);
            Assert.Equal(Enumerable.Range(first, rows.Count).Select(k => 1L << k), rows.Select(r => r.Bytes));
            Assert.True(rows[^1].Bytes >= 1L << 30);
            foreach (var r in rows)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{curve.Name} {r.Bytes,12} measured {r.Measured,8:F2} predicted {r.Predicted,8:F2} GB/s {100 * r.Error,+7:F1}%"));
            double worst = rows.Max(r => Math.Abs(r.Error));
            double large = rows.Where(r => r.Bytes >= 64L << 20).Max(r => Math.Abs(r.Error));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{curve.Name}: worst {100 * worst:F1}%, 64 MiB..8 GiB worst {100 * large:F1}%"));
            Assert.InRange(worst, 0, Committed[curve.Name].Worst);
            Assert.InRange(large, 0, Committed[curve.Name].Large);
            // The plateau (the largest size), where bandwidth mechanisms alone decide, is within the 10%
            // but for the curves listed as missing it, each held to its committed figure.
            Assert.InRange(Math.Abs(rows[^1].Error), 0, PlateauExceptions.GetValueOrDefault(curve.Name, PlateauTarget));
        }
    }

    [Fact]
    public void A3_Mega_runs_with_TCPXOs_settings_ring_Simple_at_small_sizes_at_NCCLs_closed_form()
    {
        var sys = NcclTestsCurves.GcpA3MegaTwoNodes.NcclSystem;
        Assert.False(sys.NvlsCapable);
        Assert.True(sys.SimpleOnly);
        Assert.Equal(21, sys.NcclMinorVersion);
        // Ring Simple over 16 ranks, 2 nodes, Intel hosts: 8.4 + (30 - 4) x max(3.4, 1 x 3) + 4 x 14 us
        // (tree Simple: 2 (7 x 28 + 28) = 448 us, never NVLS or NVLS-tree), plus 1 KiB at 188 x 16/30 GB/s.
        var (algorithm, protocol, seconds) = Sim.Models.Collectives.Nccl.NcclCollectiveTime.Predict(Sim.Models.Collectives.CollectiveKind.AllReduce, sys, 1024);
        Assert.Equal((Sim.Models.Collectives.Nccl.NcclAlgorithm.Ring, Sim.Models.Collectives.Nccl.NcclProtocol.Simple), (algorithm, protocol));
        Assert.Equal(8.4 + 26 * 3.4 + 4 * 14 + 1024 / (1000 * 200 * 0.94 * 16 / 30.0), seconds * 1e6, 9);
    }

    [Fact]
    public void Band_errors_are_the_worst_and_mean_of_the_points_in_each_band()
    {
        foreach (var curve in NcclTestsCurves.All)
        {
            var bands = curve.BandErrors();
            Assert.Equal(NcclTestsCurve.Bands.Select(b => b.Label), bands.Select(b => b.Label));
            for (int i = 0; i < bands.Count; i++)
            {
                var (_, min, max) = NcclTestsCurve.Bands[i];
                var rows = curve.Compare(min, max);
                if (rows.Count == 0) { Assert.True(double.IsNaN(bands[i].Worst) && double.IsNaN(bands[i].MeanAbs)); continue; }
                Assert.Equal(rows.Max(r => Math.Abs(r.Error)), Math.Abs(bands[i].Worst), 12);
                Assert.Contains(rows, r => r.Error == bands[i].Worst);
                Assert.Equal(rows.Average(r => Math.Abs(r.Error)), bands[i].MeanAbs, 12);
            }
            // The bands tile 1 KiB..8 GiB: every published point falls in exactly one.
            Assert.Equal(curve.Compare().Count, NcclTestsCurve.Bands.Sum(b => curve.Compare(b.MinBytes, b.MaxBytes).Count));
        }
        // The EKS excerpt starts at 64 MiB: its two small-size bands are empty.
        var eks = NcclTestsCurves.AwsP5TwoNodesNccl218.BandErrors();
        Assert.True(double.IsNaN(eks[0].Worst) && double.IsNaN(eks[1].Worst));
    }
}
