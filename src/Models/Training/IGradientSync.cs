namespace Sim.Models.Training;

/// <summary>
/// The seam between a training strategy and the network: "all-reduce this many bytes of gradients
/// among my workers, and tell me when every worker has the result". Strategies call it once per
/// gradient bucket; implementations lower it onto a collective algorithm over a network backend, or
/// onto a closed-form cost. Callbacks carry a caller token so no delegate is allocated per call.
/// </summary>
public interface IGradientSync
{
    /// <summary>Workers taking part.</summary>
    int Workers { get; }

    /// <summary>Starts an all-reduce of <paramref name="bytes"/> (per worker) now; calls
    /// <paramref name="onDone"/>(<paramref name="token"/>) when it completes on every worker.</summary>
    void AllReduce(double bytes, Action<long> onDone, long token);

    string Describe();
}
