using Sim.Core;

namespace Sim.Core.Tests;

public class KernelOrderingTests
{
    [Fact]
    public void EqualTimeEntriesFireInSchedulingOrder()
    {
        var sim = new Simulation();
        var order = new List<int>();
        for (int i = 0; i < 100; i++)
        {
            int k = i;
            sim.Schedule(k % 2 == 0 ? 1.0 : 0.5, () => order.Add(k));
        }
        sim.Run();
        var expected = Enumerable.Range(0, 100).Where(k => k % 2 == 1).Concat(Enumerable.Range(0, 100).Where(k => k % 2 == 0));
        Assert.Equal(expected, order);
    }

    [Fact]
    public void ClockAdvancesToEachEntryTime()
    {
        var sim = new Simulation();
        var seen = new List<double>();
        foreach (var t in new[] { 3.0, 1.0, 2.5, 1e-9 }) sim.Schedule(t, () => seen.Add(sim.Now));
        sim.Run();
        Assert.Equal(new[] { 1e-9, 1.0, 2.5, 3.0 }, seen);
        Assert.Equal(3.0, sim.Now);
    }

    [Fact]
    public void SubNanosecondDelaysAreRepresented()
    {
        // The reason the kernel uses a double-seconds clock rather than DateTime ticks (100 ns).
        var sim = new Simulation();
        double fired = -1;
        sim.Schedule(1e-6, () => sim.Schedule(250e-12, () => fired = sim.Now));
        sim.Run();
        Assert.Equal(1e-6 + 250e-12, fired);
    }

    [Fact]
    public void RunUntilStopsBeforeLaterEntriesAndSetsTheClock()
    {
        var sim = new Simulation();
        int count = 0;
        for (int i = 1; i <= 10; i++) sim.Schedule(i, () => count++);
        sim.Run(until: 4.5);
        Assert.Equal(4, count);
        Assert.Equal(4.5, sim.Now);
        sim.Run(until: 5);
        Assert.Equal(5, count); // entries at exactly `until` run
        sim.Run();
        Assert.Equal(10, count);
    }

    [Fact]
    public void RunUntilEventStopsWhenItFires()
    {
        var sim = new Simulation();
        var marker = sim.Timeout(2);
        int after = 0;
        sim.Schedule(3, () => after++);
        sim.Run(marker);
        Assert.Equal(2, sim.Now);
        Assert.Equal(0, after);
    }

    [Fact]
    public void CallbackWithArgumentPassesItsArgument()
    {
        var sim = new Simulation();
        long sum = 0;
        Action<long> add = x => sum += x;
        for (long i = 1; i <= 100; i++) sim.Schedule(i * 0.01, add, i);
        sim.Run();
        Assert.Equal(5050, sum);
        Assert.Equal(100, sim.EventsProcessed);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void InvalidDelaysAreRejected(double delay)
    {
        var sim = new Simulation();
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Schedule(delay, () => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Timeout(delay));
    }

    [Fact]
    public void HeapOrdersManyRandomEntries()
    {
        var sim = new Simulation(7);
        var rng = sim.Random("t");
        double last = 0;
        bool monotone = true;
        Action<long> check = _ => { if (sim.Now < last) monotone = false; last = sim.Now; };
        for (int i = 0; i < 50_000; i++) sim.Schedule(rng.NextDouble() * 100, check, i);
        sim.Run();
        Assert.True(monotone);
        Assert.Equal(50_000, sim.EventsProcessed);
    }

    [Fact]
    public void EventSucceedTwiceIsAnError()
    {
        var sim = new Simulation();
        var e = sim.Event();
        e.Succeed(1);
        Assert.Throws<InvalidOperationException>(() => e.Succeed(2));
        Assert.Throws<InvalidOperationException>(() => e.Fail(new Exception()));
    }

    [Fact]
    public void UnhandledFailureStopsTheRun()
    {
        var sim = new Simulation();
        sim.Event().Fail(new InvalidOperationException("disk on fire"));
        var ex = Assert.Throws<EventFailedException>(() => sim.Run());
        Assert.Contains("disk on fire", ex.Message);
    }

    [Fact]
    public void CallbacksRunWhenTheEventFires()
    {
        var sim = new Simulation();
        var e = sim.Event();
        object? got = null;
        double at = -1;
        e.AddCallback(ev => { got = ev.Value; at = sim.Now; });
        sim.Schedule(5, () => e.Succeed("done"));
        sim.Run();
        Assert.Equal("done", got);
        Assert.Equal(5, at);
    }
}
