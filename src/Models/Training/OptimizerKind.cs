namespace Sim.Models.Training;

/// <summary>How a data-parallel job's optimizer step is costed.</summary>
public enum OptimizerKind
{
    /// <summary>Memory-bound Adam in one pass over FP32 state (<see cref="SyncDataParallel.OptimizerEstimate"/>).</summary>
    Adam,
    /// <summary>PyTorch's per-tensor momentum SGD loop, host-launched kernel by kernel (<see cref="PerTensorSgd"/>).</summary>
    SgdPerTensor,
}
