namespace Sim.Models.Learning.Loop;

/// <summary>
/// A distributed training strategy with real training in the loop: it decides which worker computes a
/// gradient on which parameter version and when (from <see cref="LoopTiming"/>), and how gradients or
/// models are combined into updates. Same config and seed give the same curve, bit for bit.
/// </summary>
public abstract class LoopStrategy
{
    /// <summary>Short label for reports, e.g. "ssp (s=2)".</summary>
    public abstract string Name { get; }

    /// <exception cref="ArgumentOutOfRangeException">an impossible shared configuration (<see cref="LoopConfig.Validate"/>).</exception>
    /// <exception cref="InvalidOperationException">an impossible strategy setting (a negative bound, no local steps...).</exception>
    public abstract LoopOutcome Run(LoopConfig config);
}
