using Sim.Models.Training;

namespace Sim.Models.Dependability;

/// <summary>
/// The synchronisation of a coded step: the master decodes from the first n - s messages, so only those
/// cross its link before it can decode (the s stragglers' messages come after and are discarded); the
/// gather, the decode on the master (FIFO, <see cref="RobustAggregationSync"/>) and the push-back run over
/// <paramref name="survivors"/> while the step still counts all <paramref name="workers"/> workers. The
/// straggler model makes the fastest n - s workers a different set each step; on a star with equal links
/// which ones does not change the transfer times.
/// </summary>
public sealed class CodedGatherSync(RobustAggregationSync survivors, int workers) : IGradientSync
{
    public int Workers => workers;

    public void AllReduce(double bytes, Action<long> onDone, long token) => survivors.AllReduce(bytes, onDone, token);

    public string Describe() => survivors.Describe();
}
