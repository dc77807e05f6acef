using Sim.Models.Compute;
using Sim.Models.Training;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Training;

/// <summary>
/// PyTorch's per-parameter passes (<see cref="PyTorchParameterPasses"/>): kernels and bytes counted per tensor, the time
/// on the device, and their place in each data-parallel iteration.
/// </summary>
public sealed class PyTorchParameterPassesTests
{
    /// <summary>Memory-bound passes at 1 TB/s plus 1 us per kernel; other layers as the wrapped model times them.</summary>
    private sealed class TeraBytePasses(IComputeModel inner) : IComputeModel
    {
        public double LayerTime(Layer layer, Phase phase, int batch) =>
            layer.Name.StartsWith("parameter pass", StringComparison.Ordinal) ? layer.ForwardBytes * batch / 1e12 + 1e-6 : inner.LayerTime(layer, phase, batch);
        public double PeakFlops => inner.PeakFlops;
        public string Describe() => "1 TB/s passes";
    }

    [Fact]
    public void ResNet50_pays_161_accumulations_plus_two_copies_each_under_DDP_and_two_casts_of_55_tensors_under_autocast()
    {
        var resnet50 = ModelZoo.Get("resnet50");
        // 161 tensors; autocast casts the 53 convolution weights and the linear layer's weight and bias.
        Assert.Equal(161, PyTorchParameterPasses.Kernels(resnet50, ddp: false, autocast: false));
        Assert.Equal(161 + 2 * 55, PyTorchParameterPasses.Kernels(resnet50, ddp: false, autocast: true));
        Assert.Equal(3 * 161 + 2 * 55, PyTorchParameterPasses.Kernels(resnet50, ddp: true, autocast: true));
        // 25,557,032 parameters, 53,120 of them batch norm's (2 x 26,560 channels), which autocast leaves in FP32.
        const double all = 25_557_032, norms = 53_120;
        Assert.Equal(12 * all, PyTorchParameterPasses.Bytes(resnet50, ddp: false, autocast: false));
        Assert.Equal(12 * all + 16 * all + 12 * (all - norms), PyTorchParameterPasses.Bytes(resnet50, ddp: true, autocast: true));
    }

    [Fact]
    public void The_passes_take_one_memory_pass_and_a_launch_per_further_kernel()
    {
        var resnet50 = ModelZoo.Get("resnet50");
        var compute = new TeraBytePasses(null!);
        double bytes = PyTorchParameterPasses.Bytes(resnet50, ddp: true, autocast: false);
        Assert.Equal(bytes / 1e12 + 1e-6 + (3 * 161 - 1) * 1e-6, PyTorchParameterPasses.Seconds(compute, resnet50, ddp: true, autocast: false), 15);
    }

    [Fact]
    public void Each_iteration_pays_the_passes_after_its_compute_and_DDP_copies_only_with_more_than_one_worker()
    {
        var (model, table) = TrainingFixtures.FourLayers();
        var compute = new TeraBytePasses(table);
        // FourLayers: 4 matmul layers of 1, 2, 3, 4 M parameters, one tensor each, no kernel lists (so nothing is cast).
        double Passes(bool ddp) => PyTorchParameterPasses.Seconds(compute, model, ddp, autocast: false);
        Assert.Equal(10e6 * 12 / 1e12 + 4e-6, Passes(ddp: false), 15);
        Assert.Equal(10e6 * 28 / 1e12 + 12e-6, Passes(ddp: true), 15);
        var one = new DataParallelConfig { Model = model, Workers = 1, MicroBatch = 1, Iterations = 3, OptimizerSeconds = 1e-3, ParameterPasses = ParameterPassKind.PyTorch };
        var result = SyncDataParallel.Simulate(one, compute, sim => new ClosedFormAllReduce(sim, 1, 0, 1), seed: 1);
        // Forward 10 ms + backward 20 ms, the passes, the optimizer's 1 ms.
        Assert.All(result.IterationTimes, t => Assert.Equal(30e-3 + Passes(ddp: false) + 1e-3, t, 12));
        Assert.All(result.IterationBusyFraction, u => Assert.Equal(1, u, 12));
    }
}
