using Sim.Core;
using Sim.Core.Randomness;

namespace Sim.Models.Faults;

/// <summary>
/// A straggler model applied to a concrete set of workers in one run: which workers are the slow
/// ones (drawn once, from the "stragglers.slow" stream), and each worker's multiplier for an
/// iteration starting at a given time (jitter from the "stragglers.jitter" stream).
/// </summary>
public sealed class StragglerState
{
    private readonly StragglerModel _model;
    private readonly bool[] _slow;
    private readonly RandomStream _jitter;

    public StragglerState(Simulation sim, StragglerModel model, int workers)
    {
        _model = model;
        _slow = new bool[workers];
        _jitter = sim.Random("stragglers.jitter");
        int slowCount = (int)Math.Round(model.SlowFraction * workers);
        if (slowCount > 0 && model.SlowFactor > 1)
        {
            // A uniformly random subset of exactly slowCount workers (partial Fisher-Yates).
            var rng = sim.Random("stragglers.slow");
            var idx = Enumerable.Range(0, workers).ToArray();
            for (int i = 0; i < slowCount; i++)
            {
                int j = i + (int)rng.NextBounded((ulong)(workers - i));
                (idx[i], idx[j]) = (idx[j], idx[i]);
                _slow[idx[i]] = true;
            }
        }
    }

    public int Workers => _slow.Length;
    public bool IsSlow(int worker) => _slow[worker];
    public StragglerModel Model => _model;

    /// <summary>Compute-time multiplier of <paramref name="worker"/> for an iteration starting at <paramref name="time"/>.</summary>
    public double Multiplier(int worker, double time)
    {
        double m = _model.Jitter?.Sample(_jitter) ?? 1.0;
        if (_slow[worker]) m *= _model.SlowFactor;
        var transients = _model.Transients;
        for (int i = 0; i < transients.Count; i++)
            if (transients[i].Covers(time, worker)) m *= transients[i].Factor;
        return m;
    }
}
