using Sim.Core;
using Sim.Models.Federated;

namespace Sim.Models.Tests.Federated;

/// <summary>The server NIC's max-min fair sharing with per-client caps, against hand-computed water-filling.</summary>
public class SharedLinkTests
{
    private sealed class Recorder
    {
        public readonly Dictionary<long, double> Done = new();
        public Simulation Sim = null!;
        public void OnComplete(long tag) => Done[tag] = Sim.Now;
    }

    private static (Simulation, SharedLink, Recorder) Make(double capacity)
    {
        var rec = new Recorder { Sim = new Simulation(1) };
        var link = new SharedLink(rec.Sim, capacity, rec.OnComplete);
        return (rec.Sim, link, rec);
    }

    [Fact]
    public void UncontendedTransfersRunAtTheClientCap()
    {
        var (sim, link, rec) = Make(double.PositiveInfinity);
        link.Start(100, 7, 1);
        link.Start(50, 3, 2);
        sim.Run();
        Assert.Equal(100.0 / 7, rec.Done[1]);
        Assert.Equal(50.0 / 3, rec.Done[2]);
    }

    [Fact]
    public void WaterFillingMatchesHandComputedFinishTimes()
    {
        // Capacity 10 B/s. A: 20 B capped at 2; B: 20 B and C: 30 B capped at 100.
        // 0..5 s: A at 2, B and C share 8 -> 4 each; B finishes at 5 (C has 10 B left).
        // 5 s..: A at 2, C gets the other 8 -> finishes at 5 + 10/8 = 6.25; A alone at 2 -> 10.
        var (sim, link, rec) = Make(10);
        link.Start(20, 2, 'A');
        link.Start(20, 100, 'B');
        link.Start(30, 100, 'C');
        sim.Run();
        Assert.Equal(5.0, rec.Done['B'], 12);
        Assert.Equal(6.25, rec.Done['C'], 12);
        Assert.Equal(10.0, rec.Done['A'], 12);
        Assert.Equal(70.0, link.BytesDelivered, 9);
    }

    [Fact]
    public void LateArrivalSlowsOthersAndAbortReturnsDeliveredBytes()
    {
        // Capacity 4. X: 40 B cap 10 alone -> rate 4. At t=5 Y (cap 1) arrives: X gets 3, Y 1.
        // X has 20 B left at t=5; Y is aborted at t=8 having sent 3 B, X having 20 - 9 = 11 B left,
        // which it sends alone at 4 B/s -> done at 8 + 11/4 = 10.75.
        var (sim, link, rec) = Make(4);
        link.Start(40, 10, 'X');
        int y = -1;
        double yDelivered = double.NaN;
        sim.Schedule(5, () => y = link.Start(100, 1, 'Y'));
        sim.Schedule(8, () => yDelivered = link.Abort(y));
        sim.Run();
        Assert.Equal(10.75, rec.Done['X'], 12);
        Assert.False(rec.Done.ContainsKey('Y'));
        Assert.Equal(3.0, yDelivered, 12);
        Assert.Equal(43.0, link.BytesDelivered, 9);
    }

    [Fact]
    public void ManyEqualFlowsShareEquallyLikeProcessorSharing()
    {
        // n equal flows of s bytes on capacity S (caps above S/n): all finish at n*s/S.
        var (sim, link, rec) = Make(1000);
        for (int i = 0; i < 50; i++) link.Start(200, 1e6, i);
        sim.Run();
        for (int i = 0; i < 50; i++) Assert.Equal(50 * 200 / 1000.0, rec.Done[i], 9);
    }

    [Theory]
    [InlineData(42, false)]
    [InlineData(43, true)] // caps from {1, 5, 10, 50} on capacity 100: caps often equal the fair share exactly
    public void RandomWorkloadConservesBytesAndNeverBeatsEitherBound(int seed, bool discreteCaps)
    {
        // Property: every flow takes at least size/cap, the link never delivers more than capacity x
        // busy time, and the integrated bytes equal the bytes of the completed flows.
        var rng = new Random(seed);
        double capacity = discreteCaps ? 100 : 500;
        var (sim, link, rec) = Make(capacity);
        var size = new Dictionary<long, double>();
        var cap = new Dictionary<long, double>();
        var start = new Dictionary<long, double>();
        for (int i = 0; i < 300; i++)
        {
            long tag = i;
            double at = discreteCaps ? rng.Next(20) : rng.NextDouble() * 100, s = 1 + rng.NextDouble() * 2000;
            double c = discreteCaps ? new[] { 1.0, 5, 10, 50 }[rng.Next(4)] : 1 + rng.NextDouble() * 200;
            size[tag] = s; cap[tag] = c; start[tag] = at;
            sim.Schedule(at, () => link.Start(s, c, tag));
        }
        sim.Run();
        Assert.Equal(300, rec.Done.Count);
        foreach (var (tag, t) in rec.Done) Assert.True(t - start[tag] >= size[tag] / cap[tag] * (1 - 1e-9), $"flow {tag} beat its cap");
        double total = size.Values.Sum();
        Assert.Equal(total, link.BytesDelivered, total * 1e-9);
        Assert.True(rec.Done.Values.Max() >= total / capacity * (1 - 1e-9));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void MatchesABruteForceWaterFillingReference(int seed, bool discreteCaps)
    {
        // Independent oracle: step from event to event, recomputing every rate from scratch by
        // water-filling (O(n) per event), and compare every finish time.
        var rng = new Random(seed);
        const double capacity = 100;
        int n = 120;
        var start = new double[n];
        var size = new double[n];
        var cap = new double[n];
        for (int i = 0; i < n; i++)
        {
            start[i] = discreteCaps ? rng.Next(30) : rng.NextDouble() * 60;
            size[i] = 1 + rng.NextDouble() * 500;
            cap[i] = discreteCaps ? new[] { 2.0, 10, 25 }[rng.Next(3)] : 1 + rng.NextDouble() * 60;
        }
        var reference = BruteForceFinishTimes(start, size, cap, capacity);

        var (sim, link, rec) = Make(capacity);
        for (int i = 0; i < n; i++)
        {
            int id = i;
            sim.Schedule(start[i], () => link.Start(size[id], cap[id], id));
        }
        sim.Run();
        for (int i = 0; i < n; i++) Assert.Equal(reference[i], rec.Done[i], 1e-7 * reference[i]);
    }

    private static double[] BruteForceFinishTimes(double[] start, double[] size, double[] cap, double capacity)
    {
        int n = start.Length;
        var remaining = (double[])size.Clone();
        var finish = new double[n];
        var active = new bool[n];
        var done = new bool[n];
        double now = 0;
        while (done.Count(d => d) < n)
        {
            for (int i = 0; i < n; i++) if (!active[i] && !done[i] && start[i] <= now) active[i] = true;
            var ids = Enumerable.Range(0, n).Where(i => active[i]).OrderBy(i => cap[i]).ToArray();
            var rate = new double[n];
            double left = capacity;
            for (int k = 0; k < ids.Length; k++)
            {
                double share = left / (ids.Length - k);
                rate[ids[k]] = Math.Min(cap[ids[k]], share);
                left -= rate[ids[k]];
            }
            double next = Enumerable.Range(0, n).Where(i => !active[i] && !done[i]).Select(i => start[i]).DefaultIfEmpty(double.PositiveInfinity).Min();
            foreach (int i in ids) next = Math.Min(next, now + remaining[i] / rate[i]);
            foreach (int i in ids)
            {
                remaining[i] -= rate[i] * (next - now);
                if (remaining[i] <= 1e-9 * size[i]) { active[i] = false; done[i] = true; finish[i] = next; }
            }
            now = next;
        }
        return finish;
    }
}
