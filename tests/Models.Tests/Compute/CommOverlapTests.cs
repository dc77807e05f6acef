using Sim.Models.Compute;
using Sim.Models.Hardware;

namespace Sim.Models.Tests.Compute;

/// <summary>
/// Overlap of compute and communication against closed forms: exposed time max(0, m - c) without
/// interference, span max(m, c + (1 - r) m) with it, the one-ahead prefetch chain of ZeRO-3, and the
/// bucketed backward against an event-by-event hand trace. Interference shares from NCCL's channel
/// and HBM facts.
/// </summary>
public sealed class CommOverlapTests
{
    // A100 SXM4 figures (A100 white paper: 108 SMs; datasheet: 2,039 GB/s HBM2e), written out here so
    // the test does not depend on where the hardware catalogue lives.
    private const double A100Hbm = 2039e9;
    private static readonly GpuKernelFacts A100 = new()
    {
        StreamingMultiprocessors = 108, GemmTiles = [(256, 128)], GemmEfficiency = 0.869, MemoryEfficiency = 0.90,
        AttentionForwardEfficiency = 0.62, AttentionBackwardEfficiency = 0.55, KernelOverheadSeconds = 2e-6, Source = "test",
    };

    [Theory]
    [InlineData(10.0, 4.0)]  // communication hides entirely behind compute
    [InlineData(4.0, 10.0)]  // compute hides behind communication; 6 s exposed
    [InlineData(5.0, 5.0)]
    [InlineData(0.0, 3.0)]
    public void Without_interference_exposed_time_is_max_of_zero_and_comm_minus_compute(double compute, double comm)
    {
        Assert.Equal(Math.Max(0, comm - compute), CommOverlap.Exposed(compute, comm), 12);
        Assert.Equal(Math.Max(compute, comm), CommOverlap.Span(compute, comm), 12);
    }

    [Fact]
    public void With_interference_compute_stretches_by_the_lost_share_of_the_overlap()
    {
        // Compute longer than comm: 10 s of compute, 4 s of comm at r = 0.75: during 4 s the compute
        // does 3 s of work, the remaining 7 s run alone: span 11 s, 1 s exposed = (1 - r) m.
        Assert.Equal(11.0, CommOverlap.Span(10, 4, 0.75), 12);
        Assert.Equal(1.0, CommOverlap.Exposed(10, 4, 0.75), 12);
        // Compute short enough to finish inside the collective even when slowed: span is the comm.
        Assert.Equal(10.0, CommOverlap.Span(4, 10, 0.5), 12);
        // Boundary c = r m: both cases agree.
        Assert.Equal(10.0, CommOverlap.Span(5, 10, 0.5), 12);
    }

    [Fact]
    public void Span_is_monotone_in_each_argument_and_never_below_either_part()
    {
        double previous = 0;
        foreach (double r in new[] { 1.0, 0.9, 0.7, 0.5, 0.2 })
        {
            double span = CommOverlap.Span(6, 5, r);
            Assert.True(span >= previous, $"lower retained speed {r} must not shorten the span");
            Assert.True(span >= 6 && span >= 5 && span <= 11 + 1e-12);
            previous = span;
        }
        Assert.True(CommOverlap.Span(6, 5.5, 0.8) > CommOverlap.Span(6, 5, 0.8));
        Assert.True(CommOverlap.Span(6.5, 5, 0.8) > CommOverlap.Span(6, 5, 0.8));
    }

    [Fact]
    public void Prefetch_chain_matches_its_closed_form()
    {
        double[] ops = [3, 1, 4, 1, 5];
        double[] gathers = [2, 2, 2, 6, 2];
        // gather 0 alone, then op i overlapped with gather i + 1: 2 + max(3,2) + max(1,2) + max(4,6) + max(1,2) + 5
        Assert.Equal(2 + 3 + 2 + 6 + 2 + 5, CommOverlap.PrefetchedSpan(ops, gathers), 12);
        // With interference each overlapped pair becomes max(g, o + (1 - r) g).
        double r = 0.5, expected = 2;
        for (int i = 0; i < ops.Length; i++)
        {
            double g = i + 1 < gathers.Length ? gathers[i + 1] : 0;
            expected += Math.Max(g, ops[i] + (1 - r) * g);
        }
        Assert.Equal(expected, CommOverlap.PrefetchedSpan(ops, gathers, r), 12);
        Assert.Equal(0, CommOverlap.PrefetchedSpan([], []));
    }

    [Fact]
    public void Bucketed_backward_equals_the_hand_traced_timeline()
    {
        // Ops 2, 2, 2; buckets after op 0 (3 s) and op 2 (1 s); r = 0.5.
        // op0: [0, 2]; bucket0 on the stream [2, 5].
        // op1 starts at 2 with 3 s of busy stream: 2 s of work at 0.5 takes 4 s > 3 s, so 1.5 s done
        //   by 5, the remaining 0.5 s alone: ends 5.5.
        // op2: [5.5, 7.5] (stream idle); bucket2 [7.5, 8.5]. Total 8.5.
        Assert.Equal(8.5, CommOverlap.BucketedBackward([2, 2, 2], [3, 0, 1], 0.5), 12);
        // Without interference: op1 ends at 4, op2 at 6, bucket2 [6, 7]; bucket0 done at 5 < 7.
        Assert.Equal(7.0, CommOverlap.BucketedBackward([2, 2, 2], [3, 0, 1]), 12);
        // One bucket at the end: nothing overlaps, compute + comm.
        Assert.Equal(6 + 4, CommOverlap.BucketedBackward([2, 2, 2], [0, 0, 4], 0.3), 12);
    }

    [Fact]
    public void Bucketed_backward_is_bounded_by_serial_and_perfect_overlap()
    {
        var rng = new Random(15);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = rng.Next(1, 12);
            var ops = new double[n];
            var comms = new double[n];
            for (int i = 0; i < n; i++) { ops[i] = rng.NextDouble(); comms[i] = rng.NextDouble() < 0.5 ? 0 : rng.NextDouble(); }
            double r = 0.3 + 0.7 * rng.NextDouble();
            double span = CommOverlap.BucketedBackward(ops, comms, r);
            double ideal = CommOverlap.BucketedBackward(ops, comms);
            Assert.True(span >= ideal - 1e-12, "interference cannot make the pass faster");
            Assert.True(span <= ops.Sum() + comms.Sum() + 1e-12, "overlap is never slower than running one after the other");
            Assert.True(ideal >= Math.Max(ops.Sum(), comms.Sum()) - 1e-12);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused_not_clamped()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CommOverlap.Span(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CommOverlap.Span(1, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => CommOverlap.Span(1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CommOverlap.Span(1, 1, 1.5));
        Assert.Throws<ArgumentException>(() => CommOverlap.PrefetchedSpan([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => CommOverlap.BucketedBackward([1], [1, 2]));
    }

    [Fact]
    public void Interference_shares_come_from_channels_over_SMs_and_three_HBM_bytes_per_link_byte()
    {
        // 24 channels on an 8-GPU NVSwitch A100 node (NVIDIA/nccl-tests issue #100: "Channel 23/24"),
        // moving 200 GB/s of bus bandwidth.
        var i = CommInterference.Of(A100, A100Hbm, 24, 200e9);
        Assert.Equal(24.0 / 108, i.SmShare, 12);
        Assert.Equal(3 * 200e9 / (2039e9 * 0.90), i.MemoryShare, 12);
        Assert.Equal(1 - 24.0 / 108, i.ComputeBoundSpeed, 12);
        // A run of kernels: harmonic mix of the two retained speeds.
        double f = 0.8;
        Assert.Equal(1 / (f / i.ComputeBoundSpeed + (1 - f) / i.MemoryBoundSpeed), i.RetainedSpeed(f), 12);
        Assert.Equal(i.ComputeBoundSpeed, i.RetainedSpeed(1), 12);
        Assert.Equal(i.MemoryBoundSpeed, i.RetainedSpeed(0), 12);
        Assert.Equal(1, CommInterference.None.RetainedSpeed(0.5), 12);
        // More channels or more traffic: slower compute.
        Assert.True(CommInterference.Of(A100, A100Hbm, 32, 200e9).RetainedSpeed(f) < i.RetainedSpeed(f));
        Assert.True(CommInterference.Of(A100, A100Hbm, 24, 250e9).RetainedSpeed(f) < i.RetainedSpeed(f));
    }

    [Fact]
    public void Interference_that_would_stop_compute_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CommInterference.Of(A100, A100Hbm, 108, 1e9));
        Assert.Throws<ArgumentOutOfRangeException>(() => CommInterference.Of(A100, A100Hbm, 8, 1e12));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommInterference(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommInterference(0, -0.1));
    }
}
