namespace Sim.Models.Workloads;

/// <summary>
/// A whole network as an ordered list of layers, plus what a sample is (an image, a sequence of
/// tokens). Data parallel training runs all layers on every worker; pipeline parallel training splits
/// the list into stages.
/// </summary>
public sealed record ModelSpec
{
    public required string Name { get; init; }
    public required IReadOnlyList<Layer> Layers { get; init; }
    /// <summary>What one sample is, for throughput units ("image", "sequence").</summary>
    public string SampleUnit { get; init; } = "sample";
    /// <summary>Tokens per sample for language models (sequence length), 1 otherwise.</summary>
    public int TokensPerSample { get; init; } = 1;
    /// <summary>Where the architecture and its reference figures come from.</summary>
    public string Source { get; init; } = "";

    public double Parameters => Layers.Sum(l => l.Parameters);
    public double ForwardFlopsPerSample => Layers.Sum(l => l.ForwardFlops);
    public double BackwardFlopsPerSample => Layers.Sum(l => l.BackwardFlops);
    /// <summary>Forward plus backward FLOPs per sample: the "model FLOPs" behind MFU.</summary>
    public double TrainingFlopsPerSample => ForwardFlopsPerSample + BackwardFlopsPerSample;
}
