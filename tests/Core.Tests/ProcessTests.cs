using Sim.Core;

namespace Sim.Core.Tests;

public class ProcessTests
{
    [Fact]
    public void ProcessWaitsOnTimeoutsAndCompletesAsAnEvent()
    {
        var sim = new Simulation();
        var log = new List<(double, string)>();
        IEnumerable<Event> Worker()
        {
            log.Add((sim.Now, "start"));
            yield return sim.Timeout(1.5);
            log.Add((sim.Now, "mid"));
            yield return sim.Timeout(2);
            sim.ActiveProcess!.ReturnValue = 42;
        }
        var p = sim.Process(Worker(), "w");
        IEnumerable<Event> Waiter()
        {
            yield return p;
            log.Add((sim.Now, $"joined {p.Value}"));
        }
        sim.Process(Waiter());
        sim.Run();
        Assert.Equal(new[] { (0.0, "start"), (1.5, "mid"), (3.5, "joined 42") }, log);
        Assert.False(p.IsAlive);
    }

    [Fact]
    public void TimeoutValueIsDelivered()
    {
        var sim = new Simulation();
        object? v = null;
        IEnumerable<Event> P()
        {
            var t = sim.Timeout(1, "payload");
            yield return t;
            v = t.Value;
        }
        sim.Process(P());
        sim.Run();
        Assert.Equal("payload", v);
    }

    [Fact]
    public void YieldingAnAlreadyProcessedEventContinuesImmediately()
    {
        var sim = new Simulation();
        var done = sim.Timeout(1);
        double resumed = -1;
        IEnumerable<Event> Late()
        {
            yield return sim.Timeout(5);
            yield return done; // fired at t=1 long ago
            resumed = sim.Now;
        }
        sim.Process(Late());
        sim.Run();
        Assert.Equal(5, resumed);
    }

    [Fact]
    public void InterruptWakesTheProcessWithItsCause()
    {
        var sim = new Simulation();
        var log = new List<string>();
        Process? sleeper = null;
        IEnumerable<Event> Sleeper()
        {
            yield return sim.Timeout(10);
            if (sleeper!.HandleFault()) log.Add($"interrupted at {sim.Now} by {sleeper.InterruptCause}");
            yield return sim.Timeout(1);
            log.Add($"finished at {sim.Now}");
        }
        sleeper = sim.Process(Sleeper());
        sim.Schedule(3, () => sleeper.Interrupt("maintenance"));
        sim.Run();
        Assert.Equal(new[] { "interrupted at 3 by maintenance", "finished at 4" }, log);
    }

    [Fact]
    public void InterruptedProcessNoLongerWaitsForItsOldTarget()
    {
        var sim = new Simulation();
        int wakeups = 0;
        Process? p = null;
        var gate = sim.Event();
        IEnumerable<Event> Body()
        {
            yield return gate;
            wakeups++;
            p!.HandleFault();
            yield return sim.Timeout(100);
            wakeups++;
        }
        p = sim.Process(Body());
        sim.Schedule(1, () => p.Interrupt());
        sim.Schedule(2, () => gate.Succeed());
        sim.Run();
        Assert.Equal(2, wakeups); // the gate firing at t=2 did not wake it a second time
        Assert.Equal(101, sim.Now);
    }

    [Fact]
    public void UnhandledInterruptFailsTheProcess()
    {
        var sim = new Simulation();
        IEnumerable<Event> Careless()
        {
            yield return sim.Timeout(10);
            yield return sim.Timeout(10); // never checked HandleFault
        }
        var p = sim.Process(Careless());
        Exception? seen = null;
        double seenAt = -1;
        IEnumerable<Event> Supervisor()
        {
            yield return p;
            sim.ActiveProcess!.HandleFault();
            seen = p.Error;
            seenAt = sim.Now;
        }
        sim.Process(Supervisor());
        sim.Schedule(1, () => p.Interrupt("kill"));
        sim.Run();
        var ie = Assert.IsType<InterruptedException>(seen);
        Assert.Equal("kill", ie.Cause);
        Assert.Equal(1, seenAt); // the process failed at the interrupt, not when its stale timeouts expire
    }

    [Fact]
    public void ExceptionInsideAProcessFailsIt()
    {
        var sim = new Simulation();
        IEnumerable<Event> Broken()
        {
            yield return sim.Timeout(1);
            throw new InvalidOperationException("bad model");
        }
        sim.Process(Broken());
        var ex = Assert.Throws<EventFailedException>(() => sim.Run());
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public void FailedEventIsAFaultTheProcessCanHandle()
    {
        var sim = new Simulation();
        var e = sim.Event();
        string? handled = null;
        IEnumerable<Event> P()
        {
            yield return e;
            if (sim.ActiveProcess!.HandleFault()) handled = sim.ActiveProcess.Fault!.Message;
        }
        sim.Process(P());
        sim.Schedule(2, () => e.Fail(new TimeoutException("link down")));
        sim.Run();
        Assert.Equal("link down", handled);
    }

    [Fact]
    public void ProcessesStartInCreationOrderAtTheSameTime()
    {
        var sim = new Simulation();
        var order = new List<int>();
        IEnumerable<Event> P(int i) { order.Add(i); yield break; }
        for (int i = 0; i < 5; i++) sim.Process(P(i));
        sim.Run();
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, order);
    }

    [Fact]
    public void BarrierReleasesAllPartiesWhenTheLastArrives()
    {
        var sim = new Simulation();
        var barrier = new Barrier(sim, 3);
        var released = new List<(int, double)>();
        IEnumerable<Event> W(int id, double work)
        {
            for (int it = 0; it < 2; it++)
            {
                yield return sim.Timeout(work);
                yield return barrier.Arrive();
                released.Add((id, sim.Now));
            }
        }
        sim.Process(W(0, 1)); sim.Process(W(1, 2)); sim.Process(W(2, 5));
        sim.Run();
        // Round 1 ends at max(1,2,5)=5; round 2 at 5+5=10.
        Assert.All(released.Take(3), r => Assert.Equal(5, r.Item2));
        Assert.All(released.Skip(3), r => Assert.Equal(10, r.Item2));
        Assert.Equal(2, barrier.Generation);
    }
}
