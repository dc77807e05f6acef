using Sim.Core.Randomness;

namespace Sim.Models.Learning.Loop;

/// <summary>
/// Mini-batches drawn without replacement from a fixed set of examples: a seeded shuffle per epoch,
/// handed out in order, reshuffled when exhausted (the usual epoch-based data loader). The same seed
/// and the same sequence of requests give the same examples.
/// </summary>
public sealed class ExampleSampler
{
    private readonly int[] _order;
    private readonly RandomStream _rng;
    private int _next;

    /// <exception cref="ArgumentException">no examples.</exception>
    public ExampleSampler(ReadOnlySpan<int> examples, RandomStream rng)
    {
        if (examples.Length == 0) throw new ArgumentException("an example stream needs at least one example", nameof(examples));
        _order = examples.ToArray();
        _rng = rng;
        Shuffle();
    }

    /// <summary>Examples in the stream.</summary>
    public int Count => _order.Length;

    /// <summary>Fills <paramref name="batch"/> with the next examples (crossing into a new epoch if needed).</summary>
    public void Next(Span<int> batch)
    {
        for (int i = 0; i < batch.Length; i++)
        {
            if (_next == _order.Length) Shuffle();
            batch[i] = _order[_next++];
        }
    }

    private void Shuffle()
    {
        for (int i = _order.Length - 1; i > 0; i--)
        {
            int j = (int)_rng.NextBounded((ulong)(i + 1));
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
        _next = 0;
    }
}
