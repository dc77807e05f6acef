namespace Sim.Models.Training.Pipeline;

/// <summary>
/// One entry of a device's to-do list in a pipeline schedule: run the forward or the backward pass of
/// micro-batch <see cref="Microbatch"/> through model chunk <see cref="Chunk"/> of this device (always 0
/// without interleaving). Chunk c of device d is virtual stage c * p + d.
/// </summary>
public readonly record struct PipelineOp(bool IsForward, int Microbatch, int Chunk)
{
    /// <summary>"F m3", "B m3"; with chunks "F m3.c1".</summary>
    public string Label(bool showChunk) => (IsForward ? "F m" : "B m") + Microbatch + (showChunk ? ".c" + Chunk : "");
}
