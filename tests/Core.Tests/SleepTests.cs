using Sim.Core;
using Sim.Core.Samples;

namespace Sim.Core.Tests;

/// <summary>
/// <see cref="Simulation.Sleep"/> must behave exactly like yielding a new <see cref="Timeout"/>,
/// only without the allocation; these tests hold it to that.
/// </summary>
public class SleepTests
{
    [Theory]
    [InlineData(10, 1000)]
    [InlineData(1000, 100)]
    [InlineData(20000, 5)]
    public void A_storm_of_sleeps_is_the_same_run_as_a_storm_of_timeouts(int processes, int loops)
    {
        var sleeps = KernelWorkloads.TimeoutStorm(processes, loops, seed: 7, newTimeouts: false);
        var timeouts = KernelWorkloads.TimeoutStorm(processes, loops, seed: 7, newTimeouts: true);
        Assert.Equal(timeouts.Now, sleeps.Now); // bit for bit
        Assert.Equal(timeouts.EventsProcessed, sleeps.EventsProcessed);
    }

    [Fact]
    public void Sleeping_processes_wake_in_time_then_booking_order()
    {
        var sim = new Simulation();
        var log = new List<(double, int)>();
        IEnumerable<Event> Sleeper(int id, double[] naps)
        {
            foreach (var nap in naps)
            {
                yield return sim.Sleep(nap);
                log.Add((sim.Now, id));
            }
        }
        sim.Process(Sleeper(0, [2, 1]));
        sim.Process(Sleeper(1, [1, 2]));
        sim.Process(Sleeper(2, [3]));
        sim.Run();
        // At t=3 all three wake; they were booked at t=2 (id 0), t=1 (id 1) and t=0 (id 2).
        Assert.Equal(new[] { (1.0, 1), (2.0, 0), (3.0, 2), (3.0, 1), (3.0, 0) }, log);
    }

    [Fact]
    public void An_interrupted_sleeper_can_sleep_again_and_its_old_timer_does_not_wake_it()
    {
        var sim = new Simulation();
        var log = new List<(double, string)>();
        Process? sleeper = null;
        IEnumerable<Event> Sleeper()
        {
            yield return sim.Sleep(10);
            if (sleeper!.HandleFault()) log.Add((sim.Now, "interrupted"));
            yield return sim.Sleep(20); // the first timer is still running until t=10
            log.Add((sim.Now, "woke"));
        }
        sleeper = sim.Process(Sleeper());
        sim.Schedule(3, () => sleeper.Interrupt("wake up"));
        sim.Run();
        Assert.Equal(new[] { (3.0, "interrupted"), (23.0, "woke") }, log);
    }

    [Fact]
    public void A_sleep_can_race_another_event_in_a_condition()
    {
        var sim = new Simulation();
        double wokeAt = -1;
        bool napWon = false;
        IEnumerable<Event> P()
        {
            var nap = sim.Sleep(5);
            var other = sim.Timeout(2);
            yield return sim.AnyOf(nap, other);
            napWon = nap.IsProcessed;
            yield return sim.Sleep(1); // the nap timer is still running: a fresh one is used
            wokeAt = sim.Now;
        }
        sim.Process(P());
        sim.Run();
        Assert.False(napWon);
        Assert.Equal(3.0, wokeAt);
        Assert.Equal(5.0, sim.Now); // the abandoned nap still fires, as a timeout would
    }

    [Fact]
    public void Sleep_outside_a_process_and_bad_delays_are_refused()
    {
        var sim = new Simulation();
        var e = Assert.Throws<InvalidOperationException>(() => sim.Sleep(1));
        Assert.Contains("process", e.Message);
        IEnumerable<Event> P()
        {
            yield return sim.Sleep(double.NaN);
        }
        var p = sim.Process(P());
        p.AddCallback(_ => { });
        p.Defused = true;
        sim.Run();
        Assert.False(p.IsOk);
        Assert.IsType<ArgumentOutOfRangeException>(p.Error);
    }
}

/// <summary>The agenda's prefetching assumes a process's timer sits <see cref="Agenda.MemoryHints.ProcessToTimer"/>
/// bytes after the process (the process object's size). Adding a field to Process changes that;
/// this test says so, so the hint can be updated (results never depend on it, only speed).</summary>
public class ProcessLayoutTests
{
    [Fact]
    public unsafe void A_process_timer_follows_its_process_by_the_hinted_distance()
    {
        var sim = new Simulation();
        IEnumerable<Event> Body() { yield return sim.Sleep(1); }
        var timerField = typeof(Process).GetField("_timer", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        static long Address(object o) => (long)*(IntPtr*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref o);
        var distances = new List<long>();
        for (int i = 0; i < 20; i++)
        {
            var p = sim.Process(Body());
            distances.Add(Address(timerField.GetValue(p)!) - Address(p));
        }
        // Most consecutive allocations are adjacent (an allocation context can end between two).
        long mode = distances.GroupBy(d => d).OrderByDescending(g => g.Count()).First().Key;
        Assert.Equal(Agenda.MemoryHints.ProcessToTimer, mode);
    }
}
