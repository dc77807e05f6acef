using Sim.Core;

namespace Sim.Core.Tests;

public class ResourceTests
{
    [Fact]
    public void FifoResourceServesInArrivalOrder()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 1);
        var served = new List<int>();
        IEnumerable<Event> Customer(int id, double arrive)
        {
            yield return sim.Timeout(arrive);
            using var req = res.Request();
            yield return req;
            served.Add(id);
            yield return sim.Timeout(10);
        }
        // Arrive in order 3,1,4,0,2 while the first holds the server.
        double[] arrivals = { 0.4, 0.2, 0.5, 0.1, 0.3 };
        for (int i = 0; i < 5; i++) sim.Process(Customer(i, arrivals[i]));
        sim.Run();
        Assert.Equal(new[] { 3, 1, 4, 0, 2 }, served);
        Assert.Equal(50.1, sim.Now, 12);
    }

    [Fact]
    public void CapacityLimitsConcurrentUsers()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 3);
        int maxInUse = 0;
        IEnumerable<Event> User()
        {
            var req = res.Request();
            yield return req;
            maxInUse = Math.Max(maxInUse, res.Count);
            yield return sim.Timeout(1);
            res.Release(req);
        }
        for (int i = 0; i < 10; i++) sim.Process(User());
        sim.Run();
        Assert.Equal(3, maxInUse);
        Assert.Equal(4, sim.Now); // ceil(10/3) rounds of 1 s
        Assert.Equal(10.0 / (4 * 3), res.Utilisation, 12);
    }

    [Fact]
    public void PriorityResourceServesMostUrgentFirstThenFifo()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 1);
        var served = new List<string>();
        IEnumerable<Event> User(string name, int prio, double arrive)
        {
            yield return sim.Timeout(arrive);
            var req = res.Request(prio);
            yield return req;
            served.Add(name);
            yield return sim.Timeout(1);
            res.Release(req);
        }
        sim.Process(User("holder", 5, 0));
        sim.Process(User("low-a", 5, 0.1));
        sim.Process(User("high", 0, 0.2));
        sim.Process(User("low-b", 5, 0.3));
        sim.Process(User("mid", 2, 0.4));
        sim.Run();
        Assert.Equal(new[] { "holder", "high", "mid", "low-a", "low-b" }, served);
    }

    [Fact]
    public void PreemptionEvictsTheLeastUrgentUserAndInterruptsIt()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 1, preemptive: true);
        var log = new List<string>();
        Process? victim = null;
        IEnumerable<Event> Batch()
        {
            var req = res.Request(priority: 10);
            yield return req;
            yield return sim.Timeout(10);
            if (victim!.HandleFault() && victim.InterruptCause is Preempted p)
                log.Add($"batch preempted at {sim.Now}, held since {p.UsageSince}");
            else res.Release(req);
        }
        IEnumerable<Event> Urgent()
        {
            yield return sim.Timeout(4);
            var req = res.Request(priority: 0, preempt: true);
            yield return req;
            log.Add($"urgent got it at {sim.Now}");
            yield return sim.Timeout(1);
            res.Release(req);
        }
        victim = sim.Process(Batch());
        sim.Process(Urgent());
        sim.Run();
        // The victim is interrupted before the urgent request is granted: both happen at t=4.
        Assert.Equal(new[] { "batch preempted at 4, held since 0", "urgent got it at 4" }, log);
    }

    [Fact]
    public void PreemptionDoesNotEvictEquallyUrgentUsers()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 1, preemptive: true);
        double got = -1;
        IEnumerable<Event> Holder() { var r = res.Request(1); yield return r; yield return sim.Timeout(5); res.Release(r); }
        IEnumerable<Event> Other() { yield return sim.Timeout(1); var r = res.Request(1, preempt: true); yield return r; got = sim.Now; res.Release(r); }
        sim.Process(Holder());
        sim.Process(Other());
        sim.Run();
        Assert.Equal(5, got);
    }

    [Fact]
    public void ReleasingAWaitingRequestWithdrawsIt()
    {
        var sim = new Simulation();
        var res = new Resource(sim, 1);
        var first = res.Request();
        var withdrawn = res.Request();
        var third = res.Request();
        Assert.Equal(2, res.QueueLength);
        res.Release(withdrawn);
        Assert.Equal(1, res.QueueLength);
        res.Release(first);
        sim.Run();
        Assert.True(third.IsProcessed);
        Assert.False(withdrawn.IsTriggered);
    }

    [Fact]
    public void StoreHandsItemsOverInOrderAndBlocksWhenFull()
    {
        var sim = new Simulation();
        var store = new Store<string>(sim, capacity: 2);
        var got = new List<(double, string)>();
        double lastPutDone = -1;
        IEnumerable<Event> Producer()
        {
            foreach (var s in new[] { "a", "b", "c" }) yield return store.Put(s);
            lastPutDone = sim.Now;
        }
        IEnumerable<Event> Consumer()
        {
            yield return sim.Timeout(5);
            for (int i = 0; i < 3; i++)
            {
                var g = store.Get();
                yield return g;
                got.Add((sim.Now, (string)g.Value!));
            }
        }
        sim.Process(Producer());
        sim.Process(Consumer());
        sim.Run();
        Assert.Equal(new[] { (5.0, "a"), (5.0, "b"), (5.0, "c") }, got);
        Assert.Equal(5, lastPutDone); // "c" waited for room until the first get
    }

    [Fact]
    public void ContainerGetsWaitUntilEnoughIsThere()
    {
        var sim = new Simulation();
        var tank = new Container(sim, capacity: 100, initialLevel: 10);
        double gotAt = -1;
        IEnumerable<Event> Taker() { yield return tank.Get(50); gotAt = sim.Now; }
        IEnumerable<Event> Filler() { for (int i = 0; i < 5; i++) { yield return sim.Timeout(1); yield return tank.Put(10); } }
        sim.Process(Taker());
        sim.Process(Filler());
        sim.Run();
        Assert.Equal(4, gotAt); // 10 + 4*10 = 50 at t=4
        Assert.Equal(10, tank.Level);
    }
}
