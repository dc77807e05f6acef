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
    private readonly int _slowCount;
    private readonly RandomStream _jitter;
    private double[] _scratch = [];

    /// <summary>Below this many workers every multiplier is drawn; above it the pace is sampled as an
    /// order statistic when the model allows (see <see cref="Pace"/>).</summary>
    public const int OrderStatisticThreshold = 256;

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
            _slowCount = slowCount;
        }
    }

    public int Workers => _slow.Length;
    public bool IsSlow(int worker) => _slow[worker];
    public StragglerModel Model => _model;

    /// <summary>
    /// The multiplier that sets a synchronous step's pace: the largest of the workers' multipliers for
    /// <paramref name="steps"/> consecutive steps, or with <paramref name="backups"/> backup workers the
    /// (n - k)-th smallest. <paramref name="meanCompute"/> is the mean worker's compute in the same
    /// units, counting workers cut off by backups at the pace.
    ///
    /// With many workers, one step, no backups and no transient window open, the maximum is sampled
    /// exactly as an order statistic: the largest of m i.i.d. draws is F^-1(U^(1/m)), done once for the
    /// slow group and once for the rest, and the mean compute is its expectation. Otherwise every
    /// worker's multiplier is drawn.
    /// </summary>
    public double Pace(double now, int steps, int backups, out double meanCompute)
    {
        int n = _slow.Length;
        if (_model.IsNone) { meanCompute = steps; return steps; }
        bool transientOpen = false;
        foreach (var t in _model.Transients) if (now >= t.Start && now < t.Start + t.Duration) { transientOpen = true; break; }
        var jitter = _model.Jitter;
        if (n > OrderStatisticThreshold && steps == 1 && backups == 0 && !transientOpen && (jitter is null || jitter is IQuantile))
        {
            double f = _slowCount > 0 ? _model.SlowFactor : 1;
            double mean = jitter?.Mean ?? 1;
            meanCompute = mean * (_slowCount * f + (n - _slowCount)) / n;
            if (jitter is null) return _slowCount > 0 ? f : 1;
            var q = (IQuantile)jitter;
            double pace = q.Quantile(MaxOfUniforms(n - _slowCount));
            if (_slowCount > 0) pace = Math.Max(pace, f * q.Quantile(MaxOfUniforms(_slowCount)));
            return pace;
        }
        if (_scratch.Length != n) _scratch = new double[n];
        var m = _scratch;
        for (int w = 0; w < n; w++)
        {
            double total = 0;
            for (int s = 0; s < steps; s++) total += Multiplier(w, now);
            m[w] = total;
        }
        double paceAll;
        if (backups == 0)
        {
            paceAll = 0;
            for (int w = 0; w < n; w++) if (m[w] > paceAll) paceAll = m[w];
        }
        else
        {
            var sorted = (double[])m.Clone();
            Array.Sort(sorted);
            paceAll = sorted[n - backups - 1];
        }
        double sum = 0;
        for (int w = 0; w < n; w++) sum += Math.Min(m[w], paceAll);
        meanCompute = sum / n;
        return paceAll;
    }

    /// <summary>The maximum of <paramref name="count"/> independent uniforms, U^(1/count), computed as
    /// exp(ln U / count) so that it stays accurate for huge counts.</summary>
    private double MaxOfUniforms(int count) => count <= 0 ? 0 : Math.Exp(Math.Log(_jitter.NextOpenDouble()) / count);

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
