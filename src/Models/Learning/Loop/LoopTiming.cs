using Sim.Models.Collectives;
using Sim.Models.Faults;

namespace Sim.Models.Learning.Loop;

/// <summary>
/// How long the simulated cluster takes for the pieces of a training-in-the-loop run: a worker's step
/// (fixed overhead plus time per example, scaled by its straggler multiplier), a model or gradient
/// transfer over its link (latency + bytes / bandwidth) and a ring all-reduce of the parameters (the
/// alpha-beta closed form of <see cref="CollectiveCosts.RingAllReduce"/>). The real gradients do not
/// depend on these times; the order in which they are computed and applied does.
/// </summary>
/// <remarks>Constants are inputs: a step time measured on the device being simulated (or this machine's
/// measured TorchSharp step, see docs/time-to-accuracy.md) and a link's datasheet latency and bandwidth.</remarks>
public sealed record LoopTiming
{
    /// <summary>Compute seconds per example of a step (&gt;= 0).</summary>
    public double SecondsPerExample { get; init; } = 1e-4;
    /// <summary>Fixed compute seconds per step (&gt;= 0).</summary>
    public double StepOverheadSeconds { get; init; }
    /// <summary>Slow workers, jitter and transient slowdowns (see <see cref="StragglerModel"/>).</summary>
    public StragglerModel Stragglers { get; init; } = StragglerModel.None;
    /// <summary>One-way latency of a worker's link, seconds (&gt;= 0).</summary>
    public double LinkLatencySeconds { get; init; } = 50e-6;
    /// <summary>A worker's link bandwidth, bytes per second (&gt; 0).</summary>
    public double LinkBytesPerSecond { get; init; } = 10e9 / 8;
    /// <summary>Bytes per parameter or gradient element on the wire.</summary>
    public double BytesPerParameter { get; init; } = 4;

    /// <summary>Un-jittered compute seconds of a step of <paramref name="batch"/> examples.</summary>
    public double BaseStepSeconds(int batch) => StepOverheadSeconds + SecondsPerExample * batch;

    /// <summary>Seconds to send the model (or a gradient) of <paramref name="parameters"/> elements one way.</summary>
    public double TransferSeconds(int parameters) => LinkLatencySeconds + parameters * BytesPerParameter / LinkBytesPerSecond;

    /// <summary>Seconds of a ring all-reduce of the parameters among <paramref name="workers"/>.</summary>
    public double AllReduceSeconds(int workers, int parameters) =>
        workers <= 1 ? 0 : CollectiveCosts.RingAllReduce(workers, parameters * BytesPerParameter, LinkLatencySeconds, 1 / LinkBytesPerSecond);

    /// <exception cref="ArgumentOutOfRangeException">a negative time or a non-positive bandwidth.</exception>
    public void Validate()
    {
        if (!(SecondsPerExample >= 0) || !(StepOverheadSeconds >= 0) || !(LinkLatencySeconds >= 0))
            throw new ArgumentOutOfRangeException(nameof(SecondsPerExample), "step and link times must be >= 0");
        if (!(LinkBytesPerSecond > 0) || !(BytesPerParameter > 0))
            throw new ArgumentOutOfRangeException(nameof(LinkBytesPerSecond), "link bandwidth and bytes per parameter must be > 0");
        Stragglers.Validate();
    }
}
