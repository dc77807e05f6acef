using Sim.Core;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Memory;
using Sim.Models.Network;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// DeepSpeed's BF16 optimizer pass after every backward against its closed form: 18 bytes per parameter
/// of the GPU's own shard (cast 2 + 4, add 4 + 4 + 4) at the device's achieved memory bandwidth, plus one
/// kernel launch; in a one-stage pipeline exactly m of them per iteration, nothing else changed; and
/// the optimizer's wire volume: its fp32 buffers all-reduced whole even under its ZeRO-1 sharding,
/// then the bf16 parameters all-gathered (deepspeed/runtime/pipe/engine.py _bf16_reduce_grads,
/// bf16_optimizer.py update_lp_params).
/// </summary>
public sealed class Fp32GradientAccumulationTests
{
    private static readonly DeviceSpec A100 = HardwarePresets.A100Sxm80;

    [Theory]
    [InlineData(1e6)]
    [InlineData(3.7e9)] // a BLOOM-176B stage's share on one GPU (6 blocks of 12 h^2 / 4 at h = 14336)
    public void One_pass_moves_18_bytes_per_parameter_at_the_achieved_bandwidth(double parameters)
    {
        var compute = new KernelCompute(A100, Precision.Bf16);
        var facts = A100.Kernels!;
        double closedForm = 18 * parameters / (A100.MemoryBandwidth * facts.MemoryEfficiency) + facts.KernelOverheadSeconds;
        Assert.Equal(closedForm, Fp32GradientAccumulation.Seconds(compute, parameters), 12);
        Assert.Equal(0, Fp32GradientAccumulation.Seconds(compute, 0));
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 8)]
    [InlineData(4, 3)]
    public void A_one_stage_pipeline_pays_one_pass_per_micro_batch(int t, int m)
    {
        var model = Transformer.Gpt(new TransformerConfig { Name = "t", Layers = 4, Hidden = 2048, Heads = 16, Sequence = 2048, Vocabulary = 51200 });
        var compute = new KernelCompute(A100, Precision.Bf16);
        PipelineConfig Config(bool fp32) => new() { Model = model, Stages = 1, Microbatches = m, TensorParallel = t, Fp32GradientAccumulation = fp32 };
        double plain = PipelineTraining.Simulate(Config(false), compute).Training.MeanIterationTime;
        double withPass = PipelineTraining.Simulate(Config(true), compute).Training.MeanIterationTime;
        double parameters = new PipelineEngine(new Simulation(), Config(true), compute, null, 8).DeviceParameters(0);
        Assert.Equal(m * Fp32GradientAccumulation.Seconds(compute, parameters / t), withPass - plain, 9);
    }

    [Fact]
    public void Under_zero_1_the_fp32_buffers_are_all_reduced_whole_then_the_bf16_parameters_gathered()
    {
        var model = Transformer.Gpt(new TransformerConfig { Name = "t", Layers = 2, Hidden = 1024, Heads = 8, Sequence = 512, Vocabulary = 8192 });
        var compute = new KernelCompute(A100, Precision.Bf16);
        var cluster = HardwarePresets.Cluster("dgx-a100", 1);
        PipelineConfig Config(bool fp32, ZeroStage zero) => new()
        {
            Model = model, Stages = 1, Microbatches = 2, DataParallel = 2, Zero = zero,
            Fp32GradientAccumulation = fp32, GradientBytesPerParameter = 4,
        };
        double Sent(PipelineConfig cfg)
        {
            var sim = new Simulation();
            var net = new AnalyticalNetwork(sim, ClusterTopology.Build(cluster));
            PipelineTraining.Run(sim, cfg, compute, net, 8);
            return net.Counters.Sent[0];
        }
        double psi = new PipelineEngine(new Simulation(), Config(true, ZeroStage.OptimizerStates), compute, null, 8).DeviceParameters(0);
        // Two ranks: a ring all-reduce of N bytes sends N per rank, a reduce-scatter or all-gather N / 2.
        Assert.Equal(4 * psi, Sent(Config(true, ZeroStage.None)), 1e-3);
        Assert.Equal(4 * psi + 2 * psi / 2, Sent(Config(true, ZeroStage.OptimizerStates)), 1e-3);
        Assert.Equal(4 * psi / 2 + 2 * psi / 2, Sent(Config(false, ZeroStage.OptimizerStates)), 1e-3); // ZeRO-1 proper: reduce-scatter
        var refused = Assert.Throws<ArgumentException>(() => Config(true, ZeroStage.Gradients).Validate());
        Assert.Contains("pipeline.fp32_gradient_accumulation", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fp32_buffer_adds_4_bytes_per_parameter_of_the_shard_to_gradient_memory()
    {
        var model = Transformer.Gpt(new TransformerConfig { Name = "t", Layers = 4, Hidden = 2048, Heads = 16, Sequence = 2048, Vocabulary = 51200 });
        var compute = new KernelCompute(A100, Precision.Bf16);
        PipelineConfig Config(bool fp32) => new() { Model = model, Stages = 2, Microbatches = 4, TensorParallel = 2, Fp32GradientAccumulation = fp32 };
        var plain = PipelineTraining.Simulate(Config(false), compute);
        var withBuffer = PipelineTraining.Simulate(Config(true), compute);
        for (int s = 0; s < 2; s++)
        {
            var m = withBuffer.Stages[s].Memory;
            Assert.Equal(plain.Stages[s].Memory.GradientBytes + 4 * m.ParameterCount, m.GradientBytes, 1e-3);
        }
    }
}
