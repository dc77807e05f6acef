using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>Point-to-point: rank 0 of the group sends the buffer to rank 1, like handing over a parcel.
/// T = alpha + n * beta.</summary>
public sealed class SendRecv : Collective
{
    public SendRecv(INetwork network, int src, int dst, double bytes) : base(network, new[] { src, dst }, bytes) { }

    protected override void Begin() => Send(Bytes, 0, 1, 0);

    protected override void OnTransfer(long token) => Finish();
}
