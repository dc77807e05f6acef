namespace Sim.Core.Tests;

/// <summary>
/// The kernel never ends quietly in a state the model did not ask for: running until an event that
/// nothing can trigger any more is an error, and a failure is lost only if someone handled it
/// (waiting for it is not handling it).
/// </summary>
public sealed class KernelStrictnessTests
{
    [Fact]
    public void RunningUntilAnEventThatCanNoLongerHappenThrows()
    {
        var sim = new Simulation();
        var never = sim.Event();
        sim.Schedule(1, () => { });
        var ex = Assert.Throws<InvalidOperationException>(() => sim.Run(never));
        Assert.Contains("ran dry at t = 1 s", ex.Message);
    }

    [Fact]
    public void StoppingBeforeTheEventIsNotAnError()
    {
        var sim = new Simulation();
        var later = sim.Timeout(5);
        sim.Schedule(1, sim.Stop);
        sim.Run(later);
        Assert.Equal(1, sim.Now);
        Assert.False(later.IsProcessed);
    }

    [Fact]
    public void AFailureWithOnlyACallbackWaitingStopsTheRun()
    {
        var sim = new Simulation();
        var e = sim.Event();
        bool told = false;
        e.AddCallback(_ => told = true);
        sim.Schedule(1, () => e.Fail(new IOException("link down")));
        var ex = Assert.Throws<EventFailedException>(() => sim.Run());
        Assert.True(told);
        Assert.Contains("link down", ex.Message);
    }

    [Fact]
    public void AFailureACallbackDefusesDoesNotStopTheRun()
    {
        var sim = new Simulation();
        var e = sim.Event();
        e.AddCallback(ev => ev.Defused = true);
        sim.Schedule(1, () => e.Fail(new IOException("link down")));
        sim.Schedule(2, () => { });
        sim.Run();
        Assert.Equal(2, sim.Now);
    }

    [Fact]
    public void RunningUntilAFailedEventThrowsItsFailure()
    {
        var sim = new Simulation();
        var e = sim.Event();
        sim.Schedule(1, () => e.Fail(new IOException("disk full")));
        var ex = Assert.Throws<EventFailedException>(() => sim.Run(e));
        Assert.Contains("disk full", ex.Message);
    }
}
