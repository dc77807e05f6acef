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

/// <summary>The GPU (endpoint) of each (tensor, pipeline, data) coordinate under a <see cref="RankOrder"/>.</summary>
public sealed record ParallelLayout(int Tensor, int Pipeline, int Data, RankOrder Order)
{
    public int Gpus => Tensor * Pipeline * Data;

    public int Rank(int tensorIndex, int pipelineIndex, int dataIndex) => Order == RankOrder.TensorDataPipeline
        ? tensorIndex + Tensor * (dataIndex + Data * pipelineIndex)
        : tensorIndex + Tensor * (pipelineIndex + Pipeline * dataIndex);

    /// <summary>The data-parallel group of one tensor shard of one stage: the ranks that all-reduce its gradients.</summary>
    public int[] DataGroup(int tensorIndex, int pipelineIndex)
    {
        var ranks = new int[Data];
        for (int d = 0; d < Data; d++) ranks[d] = Rank(tensorIndex, pipelineIndex, d);
        return ranks;
    }

    /// <summary>Throws unless tensor groups fit inside a node and the job fits on the cluster.</summary>
    public void Validate(int gpusPerNode, int clusterGpus)
    {
        if (Tensor > gpusPerNode || gpusPerNode % Tensor != 0)
            throw new ArgumentException($"pipeline.tensor_parallel: {Tensor} must divide the {gpusPerNode} GPUs of a node (tensor groups stay on NVSwitch)");
        if (Gpus > clusterGpus)
            throw new ArgumentException($"pipeline: tensor {Tensor} x pipeline {Pipeline} x data {Data} = {Gpus} GPUs, but the cluster has {clusterGpus}");
    }
}
