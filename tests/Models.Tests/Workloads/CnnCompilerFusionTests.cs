using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Workloads;

/// <summary>
/// A compiled CNN (XLA, torch.compile): the memory-bound layers between two convolutions are fused as one run in
/// the run's first layer (one launch; each later kernel skips reading its predecessor's output), convolutions and
/// everything else the layers carry are untouched, and moving kernels without compiling changes no time.
/// </summary>
public sealed class CnnCompilerFusionTests
{
    private static readonly DeviceSpec A100 = HardwarePresets.A100Sxm80;
    private static readonly GpuKernelFacts F = A100.Kernels!;

    private static double Stream(double bytes) => bytes / (A100.MemoryBandwidth * F.MemoryEfficiency) + F.KernelOverheadSeconds;

    private static ModelSpec ConvBnReluConv()
    {
        var b = new CnnBuilder(bytesPerElement: 2, channels: 64, height: 56, width: 56);
        var y = b.ConvBnRelu("a", b.Input, 64, kernel: 3, stride: 1, padding: 1);
        b.Conv("b.conv", y, 64, kernel: 3, stride: 1, padding: 1);
        return b.Build("tiny", "test");
    }

    [Fact]
    public void Batch_norm_and_relu_between_two_convolutions_are_one_fused_kernel()
    {
        var fused = CnnCompilerFusion.FuseElementwiseRuns(ConvBnReluConv());
        double map = 64.0 * 56 * 56 * 2;
        Assert.Equal(["a.bn", "a.relu"], fused.Layers[1].Kernels!.Select(k => k.Name));
        Assert.Empty(fused.Layers[2].Kernels!);
        var compiled = new KernelCompute(A100, Precision.Fp16, compile: true);
        // Forward: batch norm's 3 maps, then ReLU's 2 less its read of batch norm's output; one launch.
        Assert.Equal(Stream(3 * map + 1 * map), compiled.LayerTime(fused.Layers[1], Phase.Forward, 1), 15);
        // Backward: 5 maps, then ReLU's 3 less half (the run keeps its forward order).
        Assert.Equal(Stream(5 * map + 1.5 * map), compiled.LayerTime(fused.Layers[1], Phase.Backward, 1), 15);
        Assert.Equal(0, compiled.LayerTime(fused.Layers[2], Phase.Forward, 8));
        Assert.Equal(0, compiled.LayerTime(fused.Layers[2], Phase.Backward, 8));
    }

    [Fact]
    public void Convolutions_parameters_and_memory_stay_where_they_were()
    {
        var eager = ModelZoo.Get("resnet50", new ZooOptions { BytesPerElement = 2 });
        var fused = CnnCompilerFusion.FuseElementwiseRuns(eager);
        Assert.Equal(eager.Layers.Count, fused.Layers.Count);
        for (int i = 0; i < eager.Layers.Count; i++)
        {
            var (e, f) = (eager.Layers[i], fused.Layers[i]);
            Assert.Equal((e.Name, e.Parameters, e.StoredActivationBytes, e.ParameterTensors, e.BufferTensors, e.ForwardFlops),
                (f.Name, f.Parameters, f.StoredActivationBytes, f.ParameterTensors, f.BufferTensors, f.ForwardFlops));
            if (e.Kernels!.Any(k => k is not StreamKernel)) Assert.Same(e.Kernels, f.Kernels);
        }
        // Every kernel is still there, once, in order.
        Assert.Equal(eager.Layers.SelectMany(l => l.Kernels!), fused.Layers.SelectMany(l => l.Kernels!));
        // A bottleneck's end (bn3, add, relu3) gathers into bn3; with a downsampling shortcut its convolution ends
        // bn3's run, and the shortcut's batch norm gathers the add and the ReLU.
        Assert.Equal(["layer1.1.bn3", "layer1.1.add", "layer1.1.relu3"], fused.Layers.Single(l => l.Name == "layer1.1.bn3").Kernels!.Select(k => k.Name));
        Assert.Equal(["layer1.0.bn3"], fused.Layers.Single(l => l.Name == "layer1.0.bn3").Kernels!.Select(k => k.Name));
        Assert.Equal(["layer1.0.downsample.1", "layer1.0.add", "layer1.0.relu3"], fused.Layers.Single(l => l.Name == "layer1.0.downsample.1").Kernels!.Select(k => k.Name));
    }

    [Theory]
    [InlineData(Precision.Fp16)]
    [InlineData(Precision.Tf32)]
    public void Gathering_alone_changes_no_time_and_compiling_saves_launches_and_reads(Precision precision)
    {
        int bytes = precision == Precision.Fp16 ? 2 : 4;
        var eager = ModelZoo.Get("resnet50", new ZooOptions { BytesPerElement = bytes });
        var fused = CnnCompilerFusion.FuseElementwiseRuns(eager);
        double Step(ModelSpec m, KernelCompute c) => m.Layers.Sum(l => c.LayerTime(l, Phase.Forward, 64) + c.LayerTime(l, Phase.Backward, 64));
        var plain = new KernelCompute(A100, precision);
        var compiled = new KernelCompute(A100, precision, compile: true);
        Assert.Equal(Step(eager, plain), Step(fused, plain), 9);
        // Without gathering, per-layer fusion finds nothing in single-operation layers.
        Assert.Equal(Step(eager, plain), Step(eager, compiled), 9);
        Assert.True(Step(fused, compiled) < Step(eager, plain));
    }

    [Fact]
    public void A_model_without_convolutions_is_refused()
    {
        var gpt = ModelZoo.Get("gpt2_1.5b");
        Assert.Throws<ArgumentException>(() => CnnCompilerFusion.FuseElementwiseRuns(gpt));
    }
}
