using Sim.Core.Agenda;
using Xunit;

namespace Sim.Core.Tests;

/// <summary>
/// The ladder queue must pop exactly what a sorted list of (time, booking order) pops, whatever the
/// mix of pushes and pops: the oracle here is a plain sorted set.
/// </summary>
public class EventQueueTests
{
    public enum Pattern { Exponential, IntegerTies, FarFutureStop, Bursts, TinyGaps, Mixed }

    [Theory]
    [InlineData(Pattern.Exponential, 10, 1)]
    [InlineData(Pattern.Exponential, 5_000, 2)]
    [InlineData(Pattern.IntegerTies, 3_000, 3)]
    [InlineData(Pattern.FarFutureStop, 6_000, 4)]
    [InlineData(Pattern.Bursts, 4_000, 5)]
    [InlineData(Pattern.TinyGaps, 4_000, 6)]
    [InlineData(Pattern.Mixed, 20_000, 7)]
    [InlineData(Pattern.Exponential, 40_000, 8)]  // rungs past DeferFromBuckets: deferred filing
    [InlineData(Pattern.IntegerTies, 40_000, 9)]
    [InlineData(Pattern.Mixed, 40_000, 10)]
    public void Pops_in_time_then_booking_order_like_a_sorted_list(Pattern pattern, int pending, int seed)
    {
        var rng = new Random(seed);
        var queue = new EventQueue();
        var oracle = new SortedSet<(double Time, long Seq)>();
        var targets = new Dictionary<long, object>();
        long seq = 0;
        double now = 0;

        void Push()
        {
            double delay = pattern switch
            {
                Pattern.Exponential => -Math.Log(1 - rng.NextDouble()),
                Pattern.IntegerTies => rng.Next(0, 4),
                Pattern.FarFutureStop => -Math.Log(1 - rng.NextDouble()) * 1e-3,
                Pattern.Bursts => rng.Next(10) == 0 ? 5 + rng.Next(3) : 0,
                Pattern.TinyGaps => rng.Next(0, 1000) * 1e-15,
                _ => rng.Next(6) switch
                {
                    0 => 0,
                    1 => rng.Next(0, 3),
                    2 => rng.NextDouble() * 1e6,
                    3 => rng.Next(0, 100) * 1e-12,
                    _ => -Math.Log(1 - rng.NextDouble()),
                },
            };
            double time = now + delay;
            var target = new object();
            targets[seq] = target;
            queue.Push(time, EntryKind.CallbackWithArg, target, seq);
            oracle.Add((time, seq));
            seq++;
        }

        if (pattern == Pattern.FarFutureStop) { queue.Push(1e9, EntryKind.Callback, "stop", -1); oracle.Add((1e9, -1)); targets[-1] = "stop"; }
        for (int i = 0; i < pending; i++) Push();
        for (int step = 0; step < pending * 4; step++)
        {
            if (queue.Count > 0 && (rng.Next(2) == 0 || step >= pending * 3))
            {
                Assert.Equal(oracle.Min.Time, queue.PeekTime);
                var entry = queue.Pop();
                var expected = oracle.Min;
                oracle.Remove(expected);
                Assert.Equal(expected.Time, entry.Time);
                Assert.Equal(expected.Seq, entry.Arg);
                Assert.Same(targets[expected.Seq], entry.Target);
                now = entry.Time;
            }
            else if (step < pending * 3) Push();
            Assert.Equal(oracle.Count, queue.Count);
        }
        while (queue.Count > 0)
        {
            var entry = queue.Pop();
            var expected = oracle.Min;
            oracle.Remove(expected);
            Assert.Equal((expected.Time, expected.Seq), (entry.Time, entry.Arg));
        }
        Assert.Empty(oracle);
        Assert.Equal(double.PositiveInfinity, queue.PeekTime);
    }

    [Fact]
    public void Refills_after_running_dry()
    {
        var queue = new EventQueue();
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 200; i++) queue.Push(round * 1000 + (199 - i), EntryKind.Callback, "x", i);
            for (int i = 0; i < 200; i++) Assert.Equal(round * 1000 + i, queue.Pop().Time);
            Assert.Equal(0, queue.Count);
        }
    }
}
