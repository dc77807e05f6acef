using Sim.Models.Memory;
using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>How the model's layers are cut into pipeline (virtual) stages.</summary>
public enum PartitionMethod
{
    /// <summary>Megatron-LM's way: transformer blocks split evenly, layers before the first block
    /// (embedding) join the first stage, layers after the last block (LM head) the last stage. Models
    /// without blocks: all layers split evenly. The count must divide exactly.</summary>
    Uniform,
    /// <summary>Contiguous cut that minimises the slowest stage's forward + backward time (exact, by
    /// dynamic programming over the linear-partition problem). Under interleaving (several virtual
    /// stages per GPU) the cuts fall nearest to equal shares of the total time instead, so that each
    /// GPU's chunks add up to an equal share (balanced per GPU, not per virtual stage).</summary>
    Balanced,
    /// <summary>Layer counts per virtual stage given by the user.</summary>
    Explicit,
}

/// <summary>
/// Cuts an ordered list of layers into contiguous stages, like dividing a relay race into legs: the
/// slowest leg sets the pace, so a balanced cut evens out the legs' times. Returns the first layer
/// index of each stage plus the end (length stages + 1).
/// </summary>
public static class StagePartition
{
    /// <param name="model">The model whose layers are cut (uniform cuts count its transformer blocks).</param>
    /// <param name="stages">(Virtual) stages to cut into.</param>
    /// <param name="method">How to cut.</param>
    /// <param name="layerSeconds">Forward + backward seconds per layer (balanced cuts).</param>
    /// <param name="explicitCounts">Layers per stage (explicit cuts).</param>
    /// <param name="devices">GPUs the <paramref name="stages"/> virtual stages are dealt to round-robin
    /// (virtual stage s runs on GPU s mod devices); equal to stages without interleaving.</param>
    public static int[] Cut(ModelSpec model, int stages, PartitionMethod method, IReadOnlyList<double> layerSeconds, IReadOnlyList<int>? explicitCounts = null,
        int devices = 0)
    {
        int n = model.Layers.Count;
        if (stages < 1) throw new ArgumentException($"pipeline.stages: must be >= 1, got {stages}");
        if (n < stages) throw new ArgumentException($"pipeline: model '{model.Name}' has {n} layers, fewer than the {stages} (virtual) stages");
        return method switch
        {
            PartitionMethod.Uniform => Uniform(model, stages),
            PartitionMethod.Balanced when devices > 0 && devices < stages => BalancedPerDevice(layerSeconds, stages, devices),
            PartitionMethod.Balanced => Balanced(layerSeconds, stages),
            _ => Explicit(n, stages, explicitCounts ?? throw new ArgumentException("pipeline.layers_per_stage: required for the explicit partition")),
        };
    }

    private static int[] Uniform(ModelSpec model, int stages)
    {
        var layers = model.Layers;
        int first = -1, last = -1;
        for (int i = 0; i < layers.Count; i++)
            if (ActivationFootprint.IsTransformerBlock(layers[i])) { if (first < 0) first = i; last = i; }
        int lo = first < 0 ? 0 : first, count = first < 0 ? layers.Count : last - first + 1;
        if (count % stages != 0)
            throw new ArgumentException($"pipeline.partition: uniform needs the {count} {(first < 0 ? "layers" : "transformer blocks")} of '{model.Name}' to divide by {stages} (virtual) stages; use balanced or explicit");
        var bounds = new int[stages + 1];
        for (int s = 1; s < stages; s++) bounds[s] = lo + s * (count / stages);
        bounds[stages] = layers.Count;
        return bounds;
    }

    /// <summary>Linear partition: minimise the maximum stage sum over contiguous cuts, O(stages * n^2).
    /// Ties go to the earliest cut, so the result is deterministic.</summary>
    private static int[] Balanced(IReadOnlyList<double> seconds, int stages)
    {
        int n = seconds.Count;
        var prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + seconds[i];
        // best[k, i]: minimal max-stage time placing the first i layers into k stages; cut[k, i] the start of stage k.
        var best = new double[stages + 1, n + 1];
        var cut = new int[stages + 1, n + 1];
        for (int i = 0; i <= n; i++) best[1, i] = i == 0 ? double.PositiveInfinity : prefix[i];
        for (int k = 2; k <= stages; k++)
            for (int i = 0; i <= n; i++)
            {
                best[k, i] = double.PositiveInfinity;
                for (int j = k - 1; j < i; j++)
                {
                    double cost = Math.Max(best[k - 1, j], prefix[i] - prefix[j]);
                    if (cost < best[k, i]) { best[k, i] = cost; cut[k, i] = j; }
                }
            }
        var bounds = new int[stages + 1];
        bounds[stages] = n;
        for (int k = stages, i = n; k >= 2; k--) { i = cut[k, i]; bounds[k - 1] = i; }
        return bounds;
    }

    /// <summary>
    /// Cuts at the layer boundaries nearest to k/stages of the total time (k = 1 .. stages-1), each
    /// stage keeping at least one layer. Every boundary is off its ideal by at most one layer's time
    /// and the errors do not accumulate, so each GPU's v chunks sum to its equal share within v
    /// layer-times, where minimising the slowest virtual stage can pile the slack onto a few GPUs.
    /// </summary>
    private static int[] EqualShares(IReadOnlyList<double> seconds, int stages)
    {
        int n = seconds.Count;
        var prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + seconds[i];
        var bounds = new int[stages + 1];
        bounds[stages] = n;
        for (int k = 1; k < stages; k++)
        {
            double target = prefix[n] * k / stages;
            int lo = bounds[k - 1] + 1, hi = n - (stages - k); // leave a layer for every later stage
            int best = lo;
            for (int j = lo; j <= hi; j++)
                if (Math.Abs(prefix[j] - target) < Math.Abs(prefix[best] - target)) best = j;
            bounds[k] = best;
        }
        return bounds;
    }

    /// <summary>
    /// Interleaved balance: start from <see cref="EqualShares"/>, then move single boundaries by one
    /// layer while that lowers the busiest GPU's load, or keeps it and lowers the sum of squared GPU
    /// loads (evens the rest). Deterministic: boundaries are tried in order, the first improvement is
    /// taken, and the search stops when a full pass improves nothing.
    /// </summary>
    private static int[] BalancedPerDevice(IReadOnlyList<double> seconds, int stages, int devices)
    {
        int n = seconds.Count;
        var prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + seconds[i];
        var bounds = EqualShares(seconds, stages);
        var load = new double[devices];
        (double Max, double Squares) Score()
        {
            Array.Clear(load);
            for (int s = 0; s < stages; s++) load[s % devices] += prefix[bounds[s + 1]] - prefix[bounds[s]];
            double max = 0, squares = 0;
            foreach (double l in load) { max = Math.Max(max, l); squares += l * l; }
            return (max, squares);
        }
        var current = Score();
        for (int pass = 0; pass < 4 * n; pass++)
        {
            bool improved = false;
            for (int k = 1; k < stages && !improved; k++)
                foreach (int step in new[] { -1, 1 })
                {
                    int moved = bounds[k] + step;
                    if (moved <= bounds[k - 1] || moved >= bounds[k + 1]) continue; // every stage keeps a layer
                    int old = bounds[k];
                    bounds[k] = moved;
                    var next = Score();
                    const double eps = 1e-12;
                    if (next.Max < current.Max * (1 - eps) || (next.Max <= current.Max * (1 + eps) && next.Squares < current.Squares * (1 - eps)))
                    {
                        current = next;
                        improved = true;
                        break;
                    }
                    bounds[k] = old;
                }
            if (!improved) break;
        }
        return bounds;
    }

    private static int[] Explicit(int layers, int stages, IReadOnlyList<int> counts)
    {
        if (counts.Count != stages)
            throw new ArgumentException($"pipeline.layers_per_stage: needs {stages} entries (one per virtual stage), got {counts.Count}");
        var bounds = new int[stages + 1];
        for (int s = 0; s < stages; s++)
        {
            if (counts[s] < 1) throw new ArgumentException($"pipeline.layers_per_stage[{s}]: must be >= 1, got {counts[s]}");
            bounds[s + 1] = bounds[s] + counts[s];
        }
        if (bounds[stages] != layers)
            throw new ArgumentException($"pipeline.layers_per_stage: sums to {bounds[stages]} but the model has {layers} layers");
        return bounds;
    }
}
