namespace Sim.Models.Training.Pipeline;

/// <summary>
/// How (tensor, data, pipeline) coordinates are numbered onto GPUs, innermost first, like house
/// numbers along streets: consecutive global ranks share a node, so the innermost group is the one
/// that talks most (tensor parallel, over NVSwitch). Global rank r is endpoint r of the cluster
/// (GPU r % g of node r / g).
/// </summary>
public enum RankOrder
{
    /// <summary>Megatron-LM's default ("tp-dp-pp" in its order string): rank = t_i + t (d_i + D p_i).
    /// Data-parallel peers of a stage sit on consecutive nodes; pipeline neighbours D nodes apart.</summary>
    TensorDataPipeline,
    /// <summary>rank = t_i + t (p_i + P d_i): a whole pipeline replica on consecutive nodes.</summary>
    TensorPipelineData,
}
