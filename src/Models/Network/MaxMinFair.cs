namespace Sim.Models.Network;

/// <summary>
/// Max-min fair bandwidth sharing as a stand-alone calculation, like splitting a pizza so that nobody
/// can get more without taking from someone who has less: given link capacities and the links each
/// flow crosses, returns each flow's rate. The flow-level network uses the same solver incrementally.
/// </summary>
public static class MaxMinFair
{
    public static double[] Solve(IReadOnlyList<double> capacities, IReadOnlyList<int[]> flowPaths) => Solve(capacities, flowPaths, null);

    /// <summary>Weighted form: flow f stands for <paramref name="weights"/>[f] identical flows on its path
    /// (null: all 1); the rate returned is that of each of them.</summary>
    public static double[] Solve(IReadOnlyList<double> capacities, IReadOnlyList<int[]> flowPaths, IReadOnlyList<int>? weights)
    {
        if (weights is not null && weights.Count != flowPaths.Count)
            throw new ArgumentException($"weights: expected one per flow ({flowPaths.Count}), got {weights.Count}", nameof(weights));
        var caps = new double[capacities.Count];
        for (int i = 0; i < caps.Length; i++)
        {
            if (!(capacities[i] > 0)) throw new ArgumentException($"capacities[{i}]: must be > 0, got {capacities[i]}", nameof(capacities));
            caps[i] = capacities[i];
        }
        var g = new FlowGraph(caps);
        var ids = new int[flowPaths.Count];
        for (int f = 0; f < flowPaths.Count; f++)
        {
            var path = flowPaths[f];
            if (path.Length == 0 || path.Length > FlowGraph.Stride)
                throw new ArgumentException($"flowPaths[{f}]: must cross 1 to {FlowGraph.Stride} links, got {path.Length}", nameof(flowPaths));
            foreach (int l in path)
                if ((uint)l >= (uint)caps.Length) throw new ArgumentException($"flowPaths[{f}]: link {l} is outside [0, {caps.Length})", nameof(flowPaths));
            int weight = weights?[f] ?? 1;
            if (weight < 1) throw new ArgumentException($"weights[{f}]: must be >= 1, got {weight}", nameof(weights));
            ids[f] = g.Add(path, weight);
        }
        var filling = new ProgressiveFilling(g);
        filling.Begin();
        for (int l = 0; l < caps.Length; l++) filling.AddSeedLink(l);
        filling.Solve();
        var rates = new double[ids.Length];
        for (int f = 0; f < ids.Length; f++) rates[f] = g.Rate[ids[f]];
        return rates;
    }
}
