using Sim.Core.Randomness;

namespace Sim.Core.Samples;

/// <summary>
/// The kernel's standard benchmark workloads, also small examples of the two programming styles:
/// a storm of processes sleeping on random timeouts, the same storm with plain callbacks (the
/// allocation-free path), and a barrier where workers wait for each other every iteration, as
/// synchronous data-parallel training does.
/// </summary>
public static class KernelWorkloads
{
    /// <summary><paramref name="processes"/> processes each loop <paramref name="loops"/> times on an
    /// exp(1) timeout: with <paramref name="newTimeouts"/> a fresh <see cref="Timeout"/> event per wait
    /// (the SimPy idiom), else the process's reusable timer (<see cref="Simulation.Sleep"/>). Returns the
    /// simulation (for its clock and event count).</summary>
    public static Simulation TimeoutStorm(int processes, int loops, ulong seed = 1, bool newTimeouts = false)
    {
        var sim = new Simulation(seed);
        var rng = sim.Random("storm");
        IEnumerable<Event> Sleeper()
        {
            for (int i = 0; i < loops; i++)
                yield return newTimeouts ? sim.Timeout(rng.NextExponential(1.0)) : sim.Sleep(rng.NextExponential(1.0));
        }
        for (int p = 0; p < processes; p++) sim.Process(Sleeper());
        sim.Run();
        return sim;
    }

    /// <summary>The timeout storm on the callback path: each of <paramref name="actors"/> reschedules
    /// itself <paramref name="loops"/> times. Allocates nothing per event.</summary>
    public static Simulation CallbackStorm(int actors, int loops, ulong seed = 1)
    {
        var storm = new CallbackStormState(new Simulation(seed), loops, actors);
        storm.Start();
        storm.Sim.Run();
        return storm.Sim;
    }

    /// <summary>The callback storm, with its setup separated from the run for allocation measurements.</summary>
    public sealed class CallbackStormState
    {
        private readonly int[] _remaining;
        private readonly RandomStream _rng;
        private readonly Action<long> _wake;

        public CallbackStormState(Simulation sim, int loops, int actors)
        {
            Sim = sim;
            _rng = sim.Random("storm");
            _remaining = new int[actors];
            Array.Fill(_remaining, loops);
            _wake = Wake;
        }

        public Simulation Sim { get; }

        public void Start()
        {
            for (int a = 0; a < _remaining.Length; a++) Sim.Schedule(_rng.NextExponential(1.0), _wake, a);
        }

        private void Wake(long actor)
        {
            if (--_remaining[actor] > 0) Sim.Schedule(_rng.NextExponential(1.0), _wake, actor);
        }
    }

    /// <summary><paramref name="workers"/> processes run <paramref name="iterations"/> iterations of a
    /// <paramref name="work"/>-distributed timeout followed by a barrier. Returns the end time.</summary>
    public static Simulation BarrierWorkload(int workers, int iterations, IDistribution work, ulong seed = 1)
    {
        var sim = new Simulation(seed);
        var barrier = new Barrier(sim, workers);
        IEnumerable<Event> Worker(int w)
        {
            var rng = sim.Random($"worker{w}");
            for (int i = 0; i < iterations; i++)
            {
                yield return sim.Sleep(work.Sample(rng));
                yield return barrier.Arrive();
            }
        }
        for (int w = 0; w < workers; w++) sim.Process(Worker(w));
        sim.Run();
        return sim;
    }
}
