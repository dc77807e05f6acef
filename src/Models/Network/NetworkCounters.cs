namespace Sim.Models.Network;

/// <summary>
/// The network's odometers: bytes carried by every link and bytes sent and received by every endpoint,
/// for utilisation figures and conservation checks (what leaves must arrive).
/// </summary>
public sealed class NetworkCounters
{
    internal readonly double[] LinkBytesArray;
    internal readonly double[] SentArray, ReceivedArray;

    internal NetworkCounters(int links, int endpoints)
    {
        LinkBytesArray = new double[links];
        SentArray = new double[endpoints];
        ReceivedArray = new double[endpoints];
    }

    public ReadOnlySpan<double> LinkBytes => LinkBytesArray;
    public ReadOnlySpan<double> Sent => SentArray;
    public ReadOnlySpan<double> Received => ReceivedArray;
    public long TransfersStarted { get; internal set; }
    public long TransfersCompleted { get; internal set; }

    /// <summary>Fraction of <paramref name="link"/>'s capacity used over <paramref name="elapsed"/> seconds.</summary>
    public double Utilisation(Topology topology, int link, double elapsed) =>
        elapsed > 0 ? LinkBytesArray[link] / (topology.LinkBandwidth(link) * elapsed) : 0;
}
