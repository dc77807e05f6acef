using Sim.Models.Compute;
using Sim.Models.Memory;
using Sim.Models.Tests.Pipeline;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Memory;

/// <summary>
/// The memory model under FP8 training against hand-computed bytes for a small GPT: the FP8 linears'
/// weights carry FP8 row-wise and transposed copies beside the BF16 working copy (or, with
/// fp8_param_gather, an FP8 working copy and its transpose), and the FP8 GEMM inputs a block saves for
/// backward are kept at 1 byte instead of 2.
/// </summary>
public sealed class Fp8MemoryTests
{
    /// <summary>s = 128, h = 64, a = 4, f = 4h = 256, unfused attention (Korthikanti's Table 2 as is).
    /// FP8 linear weights per block: h(3h) + h^2 + 2hf = 49152.</summary>
    private static readonly TransformerConfig SmallGpt = new()
    {
        Name = "small", Layers = 4, Hidden = 64, Heads = 4, Sequence = 128, Vocabulary = 1000, FlashAttention = false,
    };
    private const double Sbh = 128 * 64;

    [Theory]
    // stage, d, fp8_param_gather -> working copy, FP8 copies (bytes per FP8-linear parameter)
    [InlineData(ZeroStage.None, 8, false, 2, 2)]          // BF16 weight + FP8 row-wise + FP8 transpose
    [InlineData(ZeroStage.OptimizerStates, 8, false, 2, 2)]
    [InlineData(ZeroStage.OptimizerStates, 8, true, 1, 1)] // FP8 weight + its transpose, no BF16 copy
    [InlineData(ZeroStage.Parameters, 8, false, 0.25, 0)]  // ZeRO-3: the 2-byte shard; gathered copies are transient
    [InlineData(ZeroStage.Parameters, 8, true, 0.125, 0)]  // the 1-byte shard
    public void Fp8_weight_bytes_per_parameter(ZeroStage stage, int d, bool fp8Gather, double working, double copies)
    {
        Assert.Equal((working, copies), Fp8WeightMemory.PerParameter(stage, d, fp8Gather));
    }

    [Theory]
    // t, sp, recompute, hand-computed BF16 (Korthikanti) bytes, FP8 GEMM input elements saved (1 byte each)
    [InlineData(1, false, Recomputation.None, Sbh * (34 + 5 * 4 * 128 / 64.0), 2 * Sbh + Sbh + 128 * 256)]        // 606208 - 57344
    [InlineData(2, true, Recomputation.None, Sbh * (34 / 2.0 + 5 * 4 * 128 / (64 * 2.0)), (3 * Sbh + 128 * 256) / 2)] // 303104 - 28672
    [InlineData(2, false, Recomputation.Selective, Sbh * (10 + 24 / 2.0), 2 * Sbh + (Sbh + 128 * 256) / 2)]         // norm outputs replicated without SP
    [InlineData(2, false, Recomputation.Full, 2 * Sbh, 0)]                                                        // only the BF16 block input is kept
    public void A_blocks_fp8_gemm_inputs_are_kept_at_one_byte(int t, bool sp, Recomputation rc, double bf16, double savedElements)
    {
        var block = Transformer.Gpt(SmallGpt).Layers.First(ActivationFootprint.IsTransformerBlock);
        Assert.Equal(bf16, ActivationFootprint.LayerBytes(block, SmallGpt, 1, t, sp, rc), 6);
        Assert.Equal(bf16 - savedElements, ActivationFootprint.LayerBytes(block, SmallGpt, 1, t, sp, rc, fp8: true), 6);
        // Non-block layers (embedding, head) are unchanged.
        var embedding = Transformer.Gpt(SmallGpt).Layers[0];
        Assert.Equal(ActivationFootprint.LayerBytes(embedding, SmallGpt, 1, t, sp, rc), ActivationFootprint.LayerBytes(embedding, SmallGpt, 1, t, sp, rc, fp8: true));
    }

    [Fact]
    public void Pipeline_stage_memory_adds_the_fp8_copies_and_shrinks_activations_by_hand_computed_bytes()
    {
        // 4 blocks on 2 stages (1F1B, m = 4), 2 replicas with the distributed optimizer.
        var config = new PipelineConfig
        {
            Model = Transformer.Gpt(SmallGpt), Transformer = SmallGpt, Stages = 2, Microbatches = 4, DataParallel = 2,
            Zero = ZeroStage.OptimizerStates, Partition = PartitionMethod.Uniform, OptimizerSeconds = 0,
        };
        var bf16 = PipelineTraining.Simulate(config, PipelineFixtures.Roofline()).Stages[1].Memory;
        var fp8 = PipelineTraining.Simulate(config with { Fp8 = Fp8Recipe.Delayed }, PipelineFixtures.Roofline()).Stages[1].Memory;
        var fp8Gather = PipelineTraining.Simulate(config with { Fp8 = Fp8Recipe.Delayed, Fp8ParamGather = true }, PipelineFixtures.Roofline()).Stages[1].Memory;

        const double fp8Weights = 2 * 49152.0; // stage 1's two blocks
        Assert.Equal(0, bf16.Fp8WeightBytes);
        Assert.Equal(bf16.ParameterBytes, fp8.ParameterBytes);
        Assert.Equal(fp8Weights * 2, fp8.Fp8WeightBytes);                 // row-wise + transposed FP8 copies
        Assert.Equal(bf16.ParameterBytes - fp8Weights, fp8Gather.ParameterBytes); // 2 -> 1 byte working copy
        Assert.Equal(fp8Weights, fp8Gather.Fp8WeightBytes);                // the transpose only
        Assert.Equal(bf16.GradientBytes, fp8.GradientBytes);
        Assert.Equal(bf16.OptimizerBytes, fp8.OptimizerBytes);

        // Stage 1 of 1F1B keeps p - 1 = 1 micro-batch of its two blocks (plus the head, unchanged).
        Assert.Equal(1, fp8.PeakInFlight);
        double savedPerBlock = 2 * Sbh + Sbh + 128 * 256; // t = 1: QKV, FC1, projection and FC2 inputs
        Assert.Equal(bf16.ActivationBytes - 2 * savedPerBlock, fp8.ActivationBytes, 6);
        Assert.Equal(bf16.TotalBytes + fp8Weights * 2 - 2 * savedPerBlock, fp8.TotalBytes, 6);
    }
}
