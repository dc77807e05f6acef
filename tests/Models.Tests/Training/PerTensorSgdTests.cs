using Sim.Models.Compute;
using Sim.Models.Training;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Training;

/// <summary>
/// PyTorch's per-tensor momentum SGD (<see cref="PerTensorSgd"/>): kernels counted per parameter tensor, the host's
/// measured time per kernel, the FP32 bytes, and which of host and device shows; and the optimizer stepping once per
/// optimizer_batch samples (gradient accumulation) in <see cref="SyncDataParallel"/>.
/// </summary>
public sealed class PerTensorSgdTests
{
    /// <summary>A compute model whose memory-bound pass costs bytes / 1 TB/s plus 1 us, so an empty kernel costs 1 us.</summary>
    private sealed class TeraBytePerSecond : IComputeModel
    {
        public double LayerTime(Layer layer, Phase phase, int batch) => layer.ForwardBytes * batch / 1e12 + 1e-6;
        public double PeakFlops => 1e15;
        public string Describe() => "1 TB/s, 1 us per kernel";
    }

    private static ModelSpec ConvNormLinear() => new()
    {
        Name = "conv-norm-linear",
        Layers =
        [
            new Layer { Name = "conv", Kind = "conv", ForwardFlops = 1, BackwardFlops = 2, Parameters = 1000, ParameterTensors = 1, OutputActivationBytes = 1 },
            new Layer { Name = "bn", Kind = "norm", ForwardFlops = 1, BackwardFlops = 1, Parameters = 64, ParameterTensors = 2, OutputActivationBytes = 1 },
            new Layer { Name = "relu", Kind = "elementwise", ForwardFlops = 1, BackwardFlops = 1, Parameters = 0, OutputActivationBytes = 1 },
            new Layer { Name = "fc", Kind = "matmul", ForwardFlops = 1, BackwardFlops = 2, Parameters = 2000, ParameterTensors = 2, OutputActivationBytes = 1 },
        ],
    };

    [Fact]
    public void Kernels_and_bytes_are_counted_per_tensor_with_weight_decay_outside_the_norms()
    {
        var model = ConvNormLinear();
        // conv: 1 tensor x (decay + mul_ + add_ + update + zero_) = 5; bn: 2 x 4 = 8 (no decay); fc weight and bias: 2 x 5 = 10.
        Assert.Equal(23, PerTensorSgd.Operations(model));
        Assert.Equal(23 * 6.28e-3 / 942, PerTensorSgd.HostSeconds(model), 15);
        // 48 bytes per decayed parameter (12 decay + 8 mul_ + 12 add_ + 12 update + 4 zero_), 36 per norm parameter.
        Assert.Equal(1000 * 48 + 64 * 36 + 2000 * 48, PerTensorSgd.Bytes(model));
    }

    [Fact]
    public void ResNet50_loops_over_161_tensors_and_its_host_loop_is_about_4_7_ms()
    {
        // torchvision's ResNet-50: 53 convolutions and a linear layer with bias (55 tensors, decayed) and 53 batch norms
        // (106 tensors): 161 tensors, 55 x 5 + 106 x 4 = 699 kernels at 6.28 ms / 942 each.
        var resnet50 = ModelZoo.Get("resnet50");
        Assert.Equal(161, resnet50.Layers.Sum(l => l.ParameterTensors ?? 0));
        Assert.Equal(699, PerTensorSgd.Operations(resnet50));
        Assert.Equal(699 * 6.28e-3 / 942, PerTensorSgd.HostSeconds(resnet50), 12);
        Assert.InRange(PerTensorSgd.HostSeconds(resnet50), 4.6e-3, 4.7e-3);
    }

    [Fact]
    public void After_a_host_sync_the_slower_of_host_and_device_shows_else_only_the_device()
    {
        var model = ConvNormLinear();
        var compute = new TeraBytePerSecond();
        // One pass over the bytes (one kernel overhead) plus 22 more kernel overheads.
        double device = PerTensorSgd.Bytes(model) / 1e12 + 1e-6 + 22 * 1e-6;
        Assert.Equal(device, PerTensorSgd.DeviceSeconds(compute, model), 15);
        Assert.Equal(device, PerTensorSgd.Seconds(compute, model, afterHostSync: false), 15);
        // Host: 23 x 6.67 us = 153 us, above the device's 23 us + 146 ns.
        Assert.Equal(PerTensorSgd.HostSeconds(model), PerTensorSgd.Seconds(compute, model, afterHostSync: true), 15);
        Assert.True(PerTensorSgd.HostSeconds(model) > device);
    }

    [Fact]
    public void The_optimizer_steps_once_per_optimizer_batch()
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        // One worker, micro-batch 2: forward 20 ms + backward 40 ms per iteration; 8 samples per step = every 4th iteration.
        var cfg = new DataParallelConfig { Model = model, Workers = 1, MicroBatch = 2, Iterations = 8, OptimizerSeconds = 5e-3, OptimizerBatch = 8 };
        Assert.Equal(4, cfg.IterationsPerOptimizerStep);
        var result = SyncDataParallel.Simulate(cfg, compute, sim => new ClosedFormAllReduce(sim, 1, 0, 1), seed: 1);
        double[] expected = [60e-3, 60e-3, 60e-3, 65e-3, 60e-3, 60e-3, 60e-3, 65e-3];
        Assert.Equal(expected.Length, result.IterationTimes.Count);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], result.IterationTimes[i], 12);
        Assert.Equal(8 * 60e-3 + 2 * 5e-3, result.JobTime, 12);
        // Not given: every iteration.
        var every = SyncDataParallel.Simulate(cfg with { OptimizerBatch = null }, compute, sim => new ClosedFormAllReduce(sim, 1, 0, 1), seed: 1);
        Assert.Equal(8 * 65e-3, every.JobTime, 12);
    }

    [Fact]
    public void An_optimizer_batch_that_is_not_a_multiple_of_the_global_batch_is_refused()
    {
        var (model, _) = TrainingFixtures.FourLayers();
        var cfg = new DataParallelConfig { Model = model, Workers = 2, MicroBatch = 3, Iterations = 1, OptimizerBatch = 8 };
        var e = Assert.Throws<ArgumentException>(cfg.Validate);
        Assert.Contains("training.optimizer_batch", e.Message);
    }
}
