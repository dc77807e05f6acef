using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Training.Modes;

/// <summary>
/// Megatron-LM's batch arithmetic for the pipeline section: global batch = micro_batch x microbatches x
/// data_parallel (tensor, context and pipeline ranks work on the same samples, so they do not count).
/// A recipe gives either the number of micro-batches or the global batch; given both, they must agree;
/// a global batch that micro_batch x data_parallel does not divide is refused, as Megatron refuses it.
/// </summary>
internal static class BatchRules
{
    /// <summary>Micro-batches per iteration from <c>pipeline.microbatches</c> and/or <c>pipeline.global_batch</c>;
    /// null (with a located error added) when they are missing or inconsistent.</summary>
    public static int? Microbatches(ScenarioSection pipeline, int microBatch, List<ScenarioError> errors)
    {
        int dataParallel = pipeline.GetInt("data_parallel");
        int? given = pipeline.Has("microbatches") ? pipeline.GetInt("microbatches") : null;
        if (!pipeline.Has("global_batch"))
        {
            if (given is null) errors.Add(pipeline.ErrorAt("microbatches", "missing: give microbatches or global_batch"));
            return given;
        }
        long global = pipeline.GetInt("global_batch");
        long perMicrobatch = (long)microBatch * dataParallel;
        if (global % perMicrobatch != 0)
        {
            errors.Add(pipeline.ErrorAt("global_batch", $"{global} is not a multiple of training.micro_batch x data_parallel = {microBatch} x {dataParallel} = {perMicrobatch}"));
            return null;
        }
        long derived = global / perMicrobatch;
        if (given is { } m && m != derived)
        {
            errors.Add(pipeline.ErrorAt("global_batch", $"{global} disagrees with training.micro_batch x microbatches x data_parallel = {microBatch} x {m} x {dataParallel} = {(long)m * perMicrobatch}; give one of microbatches and global_batch, or make them agree"));
            return null;
        }
        if (derived > 1_048_576)
        {
            errors.Add(pipeline.ErrorAt("global_batch", $"{global} / ({microBatch} x {dataParallel}) = {derived} micro-batches per iteration, more than 1,048,576"));
            return null;
        }
        return (int)derived;
    }
}
