using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Compute;

/// <summary>
/// torch.compile as a compute-model switch: a run of adjacent memory-bound kernels costs one launch
/// and skips each later kernel's input read; kernels separated by a GEMM are not fused; compiling never
/// slows a layer down and changes nothing without adjacent element-wise kernels.
/// </summary>
public sealed class ElementwiseFusionTests
{
    private static readonly DeviceSpec A100 = HardwarePresets.A100Sxm80;
    private static readonly GpuKernelFacts F = A100.Kernels!;
    private static double Stream(double bytes) => bytes / (A100.MemoryBandwidth * F.MemoryEfficiency) + F.KernelOverheadSeconds;
    private static Layer Layer(params KernelOp[] kernels) => new()
    {
        Name = "l", Kind = "attention", ForwardFlops = 1, BackwardFlops = 2, ForwardBytes = 1, Parameters = 0, OutputActivationBytes = 0, Kernels = kernels,
    };

    [Fact]
    public void A_fused_run_pays_one_launch_and_skips_the_later_kernels_input_reads()
    {
        // dropout + residual add (3 units) then a norm (2 units): fused, the norm does not re-read the sum.
        var layer = Layer(new StreamKernel("dropout_residual", 3e8, TensorSplit.Replicated), new StreamKernel("norm", 2e8, TensorSplit.Replicated));
        var eager = new KernelCompute(A100, Precision.Bf16);
        var compiled = new KernelCompute(A100, Precision.Bf16, compile: true);
        Assert.Equal(Stream(3e8) + Stream(2e8), eager.LayerTime(layer, Phase.Forward, 1), 15);
        Assert.Equal(Stream(3e8 + 2e8 * (1 - ElementwiseRun.HandOffShare)), compiled.LayerTime(layer, Phase.Forward, 1), 15);
        Assert.Equal(Stream(2 * 3e8 + 2 * 2e8 * (1 - ElementwiseRun.HandOffShare)), compiled.LayerTime(layer, Phase.Backward, 1), 15);
    }

    [Fact]
    public void Kernels_separated_by_a_gemm_are_not_fused()
    {
        var layer = Layer(new StreamKernel("norm", 2e8, TensorSplit.Replicated), new GemmKernel("fc", 2048, 4096, 4096, TensorSplit.Columns),
            new StreamKernel("activation", 2e8, TensorSplit.Columns));
        Assert.Equal(new KernelCompute(A100, Precision.Bf16).LayerTime(layer, Phase.Forward, 1),
            new KernelCompute(A100, Precision.Bf16, compile: true).LayerTime(layer, Phase.Forward, 1), 15);
    }

    [Fact]
    public void Compiling_a_transformer_never_slows_it_and_saves_launches_where_kernels_meet()
    {
        var config = ModelZoo.GptConfig(4, 4096, 32, 4096, 32000, bytesPerElement: 2, tiedEmbeddings: true);
        foreach (var flash in new[] { true, false })
        {
            var model = Transformer.Gpt(config with { FlashAttention = flash });
            var eager = new KernelCompute(A100, Precision.Bf16);
            var compiled = new KernelCompute(A100, Precision.Bf16, compile: true);
            foreach (var layer in model.Layers)
                foreach (var phase in new[] { Phase.Forward, Phase.Backward })
                    Assert.True(compiled.LayerTime(layer, phase, 2) <= eager.LayerTime(layer, phase, 2) + 1e-15);
            // The block's residual add meets the next norm: at least one launch saved per block.
            Assert.True(eager.LayerTime(model.Layers[1], Phase.Forward, 2) - compiled.LayerTime(model.Layers[1], Phase.Forward, 2) >= F.KernelOverheadSeconds);
        }
    }

    [Fact]
    public void Kernels_without_traffic_do_not_join_a_run()
    {
        var run = new ElementwiseRun();
        run.Add(0);
        run.Add(1e6);
        Assert.Equal(1e6, run.Take());
        Assert.True(run.IsEmpty);
    }
}
