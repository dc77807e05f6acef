namespace Sim.Models.Training.Pipeline;

/// <summary>
/// The seating plan of a 3D-parallel job, like a theatre's row-and-seat numbering: which GPU (network
/// endpoint) holds each (tensor, pipeline, data) coordinate under a <see cref="RankOrder"/>.
/// </summary>
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
