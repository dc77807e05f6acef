namespace Sim.Models.Network;

/// <summary>
/// Picks the links a message takes between two endpoints, like a satnav that knows the road map.
/// Implementations compute a path in time proportional to its length (structural routers for regular
/// fabrics) or from a cached breadth-first search (arbitrary graphs); none keeps all-pairs tables.
/// </summary>
public interface IRouter
{
    /// <summary>Writes the directed link ids from endpoint <paramref name="src"/> to endpoint
    /// <paramref name="dst"/> into <paramref name="links"/> and returns how many; 0 when src == dst.</summary>
    int Route(int src, int dst, Span<int> links);
}
