using Sim.Core;

namespace Sim.Core.Tests;

public class ConditionTests
{
    [Fact]
    public void AllOfWaitsForTheLastEvent()
    {
        var sim = new Simulation();
        double at = -1;
        IReadOnlyList<Event>? fired = null;
        IEnumerable<Event> P()
        {
            var a = sim.Timeout(3, "a");
            var b = sim.Timeout(1, "b");
            var all = sim.AllOf(a, b);
            yield return all;
            at = sim.Now;
            fired = (IReadOnlyList<Event>)all.Value!;
        }
        sim.Process(P());
        sim.Run();
        Assert.Equal(3, at);
        Assert.Equal(new object?[] { "b", "a" }, fired!.Select(e => e.Value));
    }

    [Fact]
    public void AnyOfFiresWithTheFirstEvent()
    {
        var sim = new Simulation();
        double at = -1;
        IEnumerable<Event> P()
        {
            yield return sim.AnyOf(sim.Timeout(3), sim.Timeout(1.25), sim.Timeout(2));
            at = sim.Now;
        }
        sim.Process(P());
        sim.Run();
        Assert.Equal(1.25, at);
    }

    [Fact]
    public void AllOfFailsWhenAnEventFails()
    {
        var sim = new Simulation();
        var bad = sim.Event();
        Exception? fault = null;
        IEnumerable<Event> P()
        {
            yield return sim.AllOf(sim.Timeout(5), bad);
            if (sim.ActiveProcess!.HandleFault()) fault = sim.ActiveProcess.Fault;
        }
        sim.Process(P());
        sim.Schedule(1, () => bad.Fail(new IOException("nic")));
        sim.Run();
        Assert.IsType<IOException>(fault);
    }

    [Fact]
    public void EmptyAndAlreadyProcessedConditionsSucceedImmediately()
    {
        var sim = new Simulation();
        var done = sim.Timeout(1);
        sim.Run();
        var all = sim.AllOf();
        var any = sim.AnyOf(done);
        sim.Run();
        Assert.True(all.IsProcessed && all.IsOk);
        Assert.True(any.IsProcessed && any.IsOk);
        Assert.Equal(1, sim.Now);
    }
}
