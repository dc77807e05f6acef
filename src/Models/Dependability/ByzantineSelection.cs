using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>
/// Which workers are Byzantine in each round: a fixed set drawn once (a compromised machine stays
/// compromised), or a fresh set every round (Byzantine behaviour that moves, e.g. federated clients
/// sampled anew). Sets are uniform among subsets of the given size (partial Fisher-Yates) and come
/// from the selection's own stream, so they are reproducible per seed and do not shift other draws.
/// </summary>
public sealed class ByzantineSelection
{
    private readonly RandomStream _rng;
    private readonly int[] _pool;
    private readonly int[] _byzantine;
    private readonly int[] _honest;
    private readonly bool[] _isByzantine;

    /// <param name="workers">n.</param>
    /// <param name="count">Byzantine workers per round, 0..n-1 (at least one worker stays honest).</param>
    /// <param name="changesEachRound">Draw a fresh set on every <see cref="NextRound"/>.</param>
    /// <param name="rng">The selection's stream, e.g. sim.Random("attack.selection").</param>
    /// <param name="keyPath">Scenario section for error messages.</param>
    public ByzantineSelection(int workers, int count, bool changesEachRound, RandomStream rng, string keyPath = "attack")
    {
        if (workers < 1) throw new DependabilitySettingException($"{keyPath}.workers", $"need at least 1 worker, got {workers}");
        if (count < 0 || count >= workers) throw new DependabilitySettingException($"{keyPath}.count", $"must be in [0, workers - 1 = {workers - 1}], got {count}");
        Workers = workers;
        Count = count;
        ChangesEachRound = changesEachRound;
        _rng = rng;
        _pool = new int[workers];
        _byzantine = new int[count];
        _honest = new int[workers - count];
        _isByzantine = new bool[workers];
        Draw();
    }

    /// <summary>The count for a fraction of n workers: fraction x n rounded half away from zero (0.25 of 10 -> 3).</summary>
    public static int CountFor(int workers, double fraction, string keyPath = "attack.fraction")
    {
        if (!(fraction >= 0 && fraction < 1)) throw new DependabilitySettingException(keyPath, $"must be in [0, 1), got {fraction}");
        return (int)Math.Round(fraction * workers, MidpointRounding.AwayFromZero);
    }

    public int Workers { get; }
    public int Count { get; }
    public bool ChangesEachRound { get; }

    /// <summary>This round's Byzantine workers, ascending.</summary>
    public ReadOnlySpan<int> Byzantine => _byzantine;
    /// <summary>This round's honest workers, ascending.</summary>
    public ReadOnlySpan<int> Honest => _honest;
    public bool IsByzantine(int worker) => _isByzantine[worker];

    /// <summary>Moves to the next round: redraws the set if it changes each round; allocates nothing.</summary>
    public void NextRound()
    {
        if (ChangesEachRound) Draw();
    }

    private void Draw()
    {
        for (int i = 0; i < Workers; i++) _pool[i] = i;
        Array.Clear(_isByzantine);
        for (int i = 0; i < Count; i++)
        {
            int j = i + (int)_rng.NextBounded((ulong)(Workers - i));
            (_pool[i], _pool[j]) = (_pool[j], _pool[i]);
            _isByzantine[_pool[i]] = true;
        }
        int b = 0, h = 0;
        for (int w = 0; w < Workers; w++)
        {
            if (_isByzantine[w]) _byzantine[b++] = w;
            else _honest[h++] = w;
        }
    }
}
