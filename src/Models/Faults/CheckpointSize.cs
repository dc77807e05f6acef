using Sim.Models.Memory;

namespace Sim.Models.Faults;

/// <summary>
/// What a training checkpoint writes and how long that takes. A mixed-precision Adam checkpoint holds,
/// for every parameter once (replicas and ZeRO shards are written without duplicates, as Megatron-Core's
/// and PyTorch DCP's sharded checkpoints do): the 2-byte bf16/fp16 weights and Adam's 12 bytes of fp32
/// master weights, momentum and variance (<see cref="ModelStateMemory"/>); gradients are not saved.
/// The shards are written in parallel, so the storage system's aggregate write bandwidth bounds the time.
/// </summary>
public static class CheckpointSize
{
    /// <summary>Bytes per parameter in a checkpoint: weights plus optimizer state, 2 + 12 = 14.</summary>
    public const double BytesPerParameter = ModelStateMemory.ParameterBytes + ModelStateMemory.AdamOptimizerBytes;

    /// <summary>Bytes of one checkpoint of a model of <paramref name="parameters"/> parameters.</summary>
    public static double Bytes(double parameters) => parameters * BytesPerParameter;

    /// <summary>Seconds to write one checkpoint at <paramref name="bytesPerSecond"/> aggregate storage
    /// bandwidth. Throws <see cref="ArgumentOutOfRangeException"/> for a bandwidth that is not positive.</summary>
    public static double WriteSeconds(double parameters, double bytesPerSecond) =>
        bytesPerSecond > 0 ? Bytes(parameters) / bytesPerSecond
            : throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), bytesPerSecond, "storage bandwidth must be > 0");
}
