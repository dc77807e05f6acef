using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>
/// Coded or redundant computation of a synchronous step (the scenario's <c>coding:</c> section), reduced
/// to what sets its time: every worker does <see cref="Load"/> plain worker steps of work, the master
/// waits for the fastest <see cref="Survivors"/> messages and decodes them, at a cost of
/// <see cref="DecodeWork"/> coordinate operations. Schemes, by name:
/// <c>cyclic</c> (Tandon et al., ICML 2017, cyclic repetition: any s &lt; n, load s + 1, decoded from any
/// n - s workers), <c>fractional</c> (their fractional repetition: (s + 1) | n, same load and tolerance,
/// decoding adds one message per group) and <c>replication</c> (DRACO, Chen et al., ICML 2018: r-fold
/// replicated groups, r odd dividing n, load r, the master waits for every worker and takes each group's
/// majority). Construction builds the real code once, so its own checks (divisibility, odd r) run here
/// and fail with <see cref="DependabilitySettingException"/> naming the key.
/// </summary>
public sealed class CodingScheme
{
    /// <summary>The registered scheme names with their descriptions (schema enum and docs).</summary>
    public static IReadOnlyList<(string Name, string Description)> Schemes { get; } =
    [
        ("cyclic", "gradient coding, cyclic repetition (Tandon et al., ICML 2017): load s + 1, exact sum from any n - s workers"),
        ("fractional", "gradient coding, fractional repetition (Tandon et al., ICML 2017): needs (s + 1) | n, one message per group"),
        ("replication", "DRACO r-fold replication (Chen et al., ICML 2018): load r, majority of each group of r, waits for all"),
    ];

    /// <param name="scheme">One of <see cref="Schemes"/>.</param>
    /// <param name="workers">n.</param>
    /// <param name="tolerance">s (stragglers tolerated) for gradient coding, r (replication factor) for replication.</param>
    /// <param name="keyPath">Section the errors name.</param>
    public CodingScheme(string scheme, int workers, int tolerance, string keyPath = "coding")
    {
        Name = scheme;
        Workers = workers;
        switch (scheme)
        {
            case "cyclic":
            case "fractional":
                if (tolerance < 1 || tolerance >= workers)
                    throw new DependabilitySettingException($"{keyPath}.stragglers", $"must be in 1..{workers - 1} (n = {workers}), got {tolerance}");
                _ = scheme == "cyclic" ? new CyclicRepetitionCode(workers, tolerance, new RandomStream(0), keyPath) : (GradientCode)new FractionalRepetitionCode(workers, tolerance, keyPath);
                Load = tolerance + 1;
                Ignored = tolerance;
                break;
            case "replication":
                if (tolerance < 2) throw new DependabilitySettingException($"{keyPath}.replication", $"must be an odd number >= 3, got {tolerance}");
                _ = new ReplicationCode(workers, tolerance, keyPath);
                Load = tolerance;
                Ignored = 0;
                break;
            default:
                throw new DependabilitySettingException($"{keyPath}.scheme", $"expected one of {string.Join(", ", Schemes.Select(s => s.Name))}, got '{scheme}'");
        }
        Tolerance = tolerance;
    }

    public string Name { get; }
    public int Workers { get; }
    /// <summary>s for gradient coding, r for replication.</summary>
    public int Tolerance { get; }
    /// <summary>Work per worker, in plain worker steps.</summary>
    public int Load { get; }
    /// <summary>Slowest workers the master does not wait for.</summary>
    public int Ignored { get; }
    /// <summary>Messages the master decodes from.</summary>
    public int Survivors => Workers - Ignored;

    /// <summary>Coordinate operations of one decode of d-coordinate messages: a linear combination of the
    /// survivors (cyclic), one message per group (fractional), or up to r(r - 1)/2 comparisons per group of
    /// r plus one copy (replication; honest groups agree after one comparison, so n d is charged).</summary>
    public double DecodeWork(long d) => Name switch
    {
        "cyclic" => (double)Survivors * d,
        "fractional" => (double)Workers / Load * d,
        _ => (double)Workers * d,
    };

    public string Describe() => Name == "replication" ? $"DRACO replication (r = {Tolerance})" : $"gradient coding, {Name} (s = {Tolerance})";
}
