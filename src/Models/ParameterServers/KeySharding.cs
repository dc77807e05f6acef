using Sim.Models.Hardware;

namespace Sim.Models.ParameterServers;

/// <summary>
/// How model parameters (keys, each a tensor of some bytes) are spread over parameter servers, like
/// dealing books onto shelves so that no shelf sags: largest key first onto the currently lightest
/// server (the LPT rule), deterministic ties by lower server index. Balances bytes, hence each server's
/// NIC load and aggregation work, within the size of the largest key.
/// </summary>
public sealed class KeySharding
{
    public KeySharding(IReadOnlyList<double> keyBytes, int servers)
    {
        SpecError.RequireAtLeast("parameterServer.servers", servers, 1);
        if (keyBytes.Count == 0) throw new SpecError("parameterServer.keys", "must list at least one key");
        for (int k = 0; k < keyBytes.Count; k++) SpecError.RequirePositive($"parameterServer.keys[{k}].bytes", keyBytes[k]);
        var order = Enumerable.Range(0, keyBytes.Count).OrderByDescending(k => keyBytes[k]).ThenBy(k => k).ToArray();
        var serverOf = new int[keyBytes.Count];
        var load = new double[servers];
        foreach (int k in order)
        {
            int best = 0;
            for (int s = 1; s < servers; s++) if (load[s] < load[best]) best = s;
            serverOf[k] = best;
            load[best] += keyBytes[k];
        }
        ServerOfKey = serverOf;
        BytesPerServer = load;
    }

    /// <summary>Which server holds each key.</summary>
    public IReadOnlyList<int> ServerOfKey { get; }
    /// <summary>Total bytes of the keys each server holds.</summary>
    public IReadOnlyList<double> BytesPerServer { get; }
}
