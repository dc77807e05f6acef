using Sim.Models.Collectives;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Memory;
using Sim.Models.Network;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// Megatron-Core <c>fp8_param_gather</c>: the FP8 linears' weights are all-gathered at 1 byte per
/// parameter instead of 2, the rest of the parameters at 2. Checked against the ring all-gather's
/// alpha-beta closed form for those bytes (the collective model the data-parallel gathers run on),
/// under ZeRO-3 (gathers before every op) and the distributed optimizer (one gather ending the step).
/// </summary>
public sealed class Fp8ParamGatherTests
{
    private static readonly ClusterSpec OneNode = HardwarePresets.Cluster("dgx-a100", 1);

    /// <summary>A small GPT block: h = 64, f = 4h = 256, 4 heads (MHA): FP8 linear weights
    /// h(3h) + h^2 + 2hf = 12288 + 4096 + 32768 = 49152 per block.</summary>
    private static readonly TransformerConfig SmallGpt = new() { Name = "small", Layers = 2, Hidden = 64, Heads = 4, Sequence = 128, Vocabulary = 1000 };
    private const double Fp8WeightsPerBlock = 49152;
    private const double ParametersPerBlock = 1e6; // PipelineFixtures.UniformBlocks

    [Fact]
    public void The_fp8_linear_weights_of_a_block_are_its_four_gemm_matrices()
    {
        Assert.Equal(Fp8WeightsPerBlock, Fp8Recipe.LinearWeightParameters(SmallGpt));
        // Llama-style: GQA (8 kv heads of 128), gated FFN, 8 experts: h(h + 2*8*128) + h^2 + 3hf*E.
        var moe = SmallGpt with { Hidden = 4096, Heads = 32, KvHeads = 8, FfnHidden = 14336, GatedFfn = true, Experts = 8, TopK = 2 };
        Assert.Equal(4096.0 * (4096 + 2 * 8 * 128) + 4096.0 * 4096 + 3.0 * 4096 * 14336 * 8, Fp8Recipe.LinearWeightParameters(moe));
    }

    [Theory]
    [InlineData(1e-5, 2e-5, 4)] // ops shorter than a gather: every gather shows through
    [InlineData(2e-4, 2e-4, 8)]
    public void Zero3_gathers_move_one_byte_per_fp8_weight(double forward, double backward, int d)
    {
        const int m = 3;
        var (model, compute) = PipelineFixtures.UniformBlocks(2, forward, backward, activationBytes: 1e6);
        var config = new PipelineConfig
        {
            Model = model, Transformer = SmallGpt, Stages = 1, Microbatches = m, Schedule = PipelineScheduleKind.GPipe, DataParallel = d,
            Zero = ZeroStage.Parameters, OptimizerSeconds = 0, Fp8 = Fp8Recipe.Delayed, Fp8ParamGather = true,
        };
        var r = PipelineTraining.Simulate(config, compute, OneNode, backend: NetworkBackend.Analytical);

        var topo = ClusterTopology.Build(OneNode);
        double alpha = topo.PathLatency(0, 1), beta = 1 / topo.PathBandwidth(0, 1);
        // Two blocks: 2 x (1M - 49152) BF16 parameters at 2 bytes and 2 x 49152 FP8 weights at 1 byte.
        // Per block: (1M - 49152) BF16 parameters at 2 bytes and 49152 FP8 weights at 1 byte.
        double gatheredBytes = (ParametersPerBlock - Fp8WeightsPerBlock) * 2 + Fp8WeightsPerBlock * 1;
        double gather = CollectiveCosts.RingAllGather(d, gatheredBytes, alpha, beta);
        double reduceScatter = CollectiveCosts.RingReduceScatter(d, ParametersPerBlock * ModelStateMemory.GradientBytes, alpha, beta); // gradients stay BF16
        // GPipe on one stage, FSDP units: m forwards of both blocks, then m backwards of both.
        var units = Enumerable.Repeat((forward, false), 2 * m).Concat(Enumerable.Repeat((backward, true), 2 * m)).ToArray();
        Assert.Equal(ZeroGatherOracleTests.UnitOracle(units, gather, reduceScatter, 1), r.Training.IterationTimes[0], 12);

        // Off, the same run gathers 2 bytes for every parameter: slower by exactly that oracle.
        var bf16 = PipelineTraining.Simulate(config with { Fp8ParamGather = false }, compute, OneNode, backend: NetworkBackend.Analytical);
        double bf16Gather = CollectiveCosts.RingAllGather(d, ParametersPerBlock * ModelStateMemory.ParameterBytes, alpha, beta);
        Assert.Equal(ZeroGatherOracleTests.UnitOracle(units, bf16Gather, reduceScatter, 1), bf16.Training.IterationTimes[0], 12);
    }

    [Fact]
    public void The_distributed_optimizers_closing_gather_shrinks_by_the_fp8_bytes()
    {
        var (model, compute) = PipelineFixtures.UniformBlocks(4);
        var config = new PipelineConfig
        {
            Model = model, Transformer = SmallGpt, Stages = 1, Microbatches = 4, DataParallel = 2, Zero = ZeroStage.OptimizerStates,
            OptimizerSeconds = 0, Fp8 = Fp8Recipe.Delayed,
        };
        double Iteration(bool fp8Gather) =>
            PipelineTraining.Simulate(config with { Fp8ParamGather = fp8Gather }, compute, OneNode, backend: NetworkBackend.Analytical).Training.IterationTimes[0];
        var topo = ClusterTopology.Build(OneNode);
        double alpha = topo.PathLatency(0, 1), beta = 1 / topo.PathBandwidth(0, 1); // the two replicas, on one node's uniform NVSwitch paths
        double bf16Bytes = 4 * ParametersPerBlock * 2;
        double fp8Bytes = 4 * ((ParametersPerBlock - Fp8WeightsPerBlock) * 2 + Fp8WeightsPerBlock);
        double saved = CollectiveCosts.RingAllGather(2, bf16Bytes, alpha, beta) - CollectiveCosts.RingAllGather(2, fp8Bytes, alpha, beta);
        Assert.True(saved > 0);
        Assert.Equal(saved, Iteration(false) - Iteration(true), 12);
    }

    [Fact]
    public void Fp8_param_gather_is_refused_without_fp8_training_or_a_sharded_optimizer()
    {
        var (model, _) = PipelineFixtures.UniformBlocks(2);
        var ok = new PipelineConfig { Model = model, Transformer = SmallGpt, Stages = 1, Microbatches = 2, DataParallel = 2, Zero = ZeroStage.OptimizerStates, Fp8 = Fp8Recipe.Delayed, Fp8ParamGather = true };
        ok.Validate();
        Assert.StartsWith("pipeline.fp8_param_gather: needs compute.precision: fp8", Assert.Throws<ArgumentException>(() => (ok with { Fp8 = null }).Validate()).Message);
        Assert.StartsWith("pipeline.fp8_param_gather: needs pipeline.use_distributed_optimizer", Assert.Throws<ArgumentException>(() => (ok with { Zero = ZeroStage.None }).Validate()).Message);
        Assert.StartsWith("pipeline.fp8_param_gather: needs a transformer", Assert.Throws<ArgumentException>(() => (ok with { Transformer = null }).Validate()).Message);
    }
}
