using Sim.Models.Workloads;

namespace Sim.Models.Training;

/// <summary>
/// Gradient buckets as PyTorch DDP forms them (Li et al., "PyTorch Distributed", VLDB 2020): walking the
/// layers in reverse order (the order backward produces gradients), parameters are packed into
/// buckets of at most <c>bucketCapBytes</c>; the first bucket is smaller (DDP's 1 MiB default) so
/// that communication starts early. A bucket is all-reduced once its last layer's backward is done.
/// Horovod's tensor fusion groups the same way with its fusion threshold.
/// </summary>
public sealed class GradientBuckets
{
    /// <param name="layers">Model layers in forward order.</param>
    /// <param name="gradientBytesPerParameter">2 for fp16/bf16 gradients, 4 for fp32.</param>
    public GradientBuckets(IReadOnlyList<Layer> layers, double gradientBytesPerParameter, double bucketCapBytes, double firstBucketCapBytes)
    {
        if (!(gradientBytesPerParameter > 0)) throw new ArgumentOutOfRangeException(nameof(gradientBytesPerParameter), gradientBytesPerParameter, "must be > 0");
        if (!(bucketCapBytes > 0)) throw new ArgumentOutOfRangeException(nameof(bucketCapBytes), bucketCapBytes, "must be > 0");
        if (!(firstBucketCapBytes > 0)) throw new ArgumentOutOfRangeException(nameof(firstBucketCapBytes), firstBucketCapBytes, "must be > 0");
        var bytes = new List<double>();
        var closing = new List<int>();
        double current = 0;
        int lowest = -1; // lowest (forward-order) layer in the open bucket: its backward closes it
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            double g = layers[i].Parameters * gradientBytesPerParameter;
            if (g <= 0) continue;
            double cap = bytes.Count == 0 ? firstBucketCapBytes : bucketCapBytes;
            if (lowest >= 0 && current + g > cap)
            {
                bytes.Add(current);
                closing.Add(lowest);
                current = 0;
            }
            current += g;
            lowest = i;
        }
        if (current > 0)
        {
            bytes.Add(current);
            closing.Add(lowest);
        }
        Bytes = bytes;
        ClosingLayer = closing;
    }

    /// <summary>Bytes of each bucket, in the order they become ready.</summary>
    public IReadOnlyList<double> Bytes { get; }

    /// <summary>For each bucket, the (forward-order) index of the layer whose backward completes it.</summary>
    public IReadOnlyList<int> ClosingLayer { get; }

    public int Count => Bytes.Count;
}
