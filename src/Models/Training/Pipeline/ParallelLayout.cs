namespace Sim.Models.Training.Pipeline;

/// <summary>
/// The seating plan of a 3D-parallel job, like a theatre's row-and-seat numbering: which GPU (network
/// endpoint) holds each (tensor, context, pipeline, data) coordinate under a <see cref="RankOrder"/>.
/// The context-parallel index sits just outside the tensor index in both orders, as in Megatron-Core's
/// default order string "tp-cp-ep-dp-pp": a CP group of c ranks is c consecutive tensor groups, so small
/// CP groups stay on one node's NVSwitch and larger ones spill over to neighbouring nodes.
/// </summary>
public sealed record ParallelLayout(int Tensor, int Pipeline, int Data, RankOrder Order, int Context = 1)
{
    public int Gpus => Tensor * Context * Pipeline * Data;

    /// <summary>Global rank of a coordinate: t_i + T (c_i + C (outer)), outer as <see cref="RankOrder"/> says.</summary>
    public int Rank(int tensorIndex, int pipelineIndex, int dataIndex, int contextIndex = 0) => Order == RankOrder.TensorDataPipeline
        ? tensorIndex + Tensor * (contextIndex + Context * (dataIndex + Data * pipelineIndex))
        : tensorIndex + Tensor * (contextIndex + Context * (pipelineIndex + Pipeline * dataIndex));

    /// <summary>The gradient-reduction group of one tensor shard of one stage: every data-parallel replica's
    /// every context-parallel rank (d x c ranks), since context-parallel ranks hold the same parameters and
    /// each computes gradients from its own share of the sequence (Megatron-Core reduces over DP x CP).</summary>
    public int[] DataGroup(int tensorIndex, int pipelineIndex)
    {
        var ranks = new int[Data * Context];
        for (int d = 0; d < Data; d++)
            for (int c = 0; c < Context; c++) ranks[d * Context + c] = Rank(tensorIndex, pipelineIndex, d, c);
        return ranks;
    }

    /// <summary>The context-parallel ring of one tensor shard of one stage of one replica, in ring order.</summary>
    public int[] ContextGroup(int tensorIndex, int pipelineIndex, int dataIndex)
    {
        var ranks = new int[Context];
        for (int c = 0; c < Context; c++) ranks[c] = Rank(tensorIndex, pipelineIndex, dataIndex, c);
        return ranks;
    }

    /// <summary>Throws unless tensor groups fit inside a node and the job fits on the cluster.</summary>
    public void Validate(int gpusPerNode, int clusterGpus)
    {
        if (Tensor > gpusPerNode || gpusPerNode % Tensor != 0)
            throw new ArgumentException($"pipeline.tensor_parallel: {Tensor} must divide the {gpusPerNode} GPUs of a node (tensor groups stay on NVSwitch)");
        if (Gpus > clusterGpus)
            throw new ArgumentException($"pipeline: tensor {Tensor} x context {Context} x pipeline {Pipeline} x data {Data} = {Gpus} GPUs, but the cluster has {clusterGpus}");
    }
}
