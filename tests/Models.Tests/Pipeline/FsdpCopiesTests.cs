using Sim.Models.Collectives;
using Sim.Models.Hardware;
using Sim.Models.Memory;
using Sim.Models.Network;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// PyTorch FSDP's per-unit copies (<see cref="FsdpCopies"/>) counted by hand from the kernels each
/// implementation runs, and charged to the passes they belong to.
/// </summary>
public sealed class FsdpCopiesTests
{
    [Theory]
    [InlineData(1, true, 4, 0)]                   // FSDP1 forward: the gather lands in the flat parameter itself
    [InlineData(1, false, 4, 2 + 2 + 2 + 4 + 4 + 4)] // cat (r/w bf16), cast to fp32 (r bf16, w fp32), pre-divide (r/w fp32)
    [InlineData(1, false, 2, 2 + 2 + 2 + 2)]         // PURE: cat, pre-divide in bf16, no cast
    [InlineData(2, true, 4, 2 + 2)]               // FSDP2: the gather's copy-out
    [InlineData(2, false, 4, 2 + 2 + 2 + 4)]      // copy-out of the backward's gather, copy-in cast to fp32; NCCL divides
    [InlineData(2, false, 2, 2 + 2 + 2 + 2)]
    public void Bytes_per_parameter_are_the_kernels_reads_and_writes(int version, bool forward, double reduceBytes, double expected) =>
        Assert.Equal(expected, FsdpCopies.BytesPerParameter(version, forward, reduceBytes));

    [Fact]
    public void Copies_run_at_the_devices_memory_bandwidth()
    {
        var roofline = PipelineFixtures.Roofline();
        double seconds = FsdpCopies.Seconds(roofline, 1e9, 18);
        Assert.Equal(18e9 / (roofline.MemoryBandwidth * roofline.MemoryEfficiency) + roofline.OverheadSeconds, seconds, 15);
        Assert.Equal(0, FsdpCopies.Seconds(roofline, 0, 18));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Each_layers_copies_lengthen_its_passes_by_their_closed_form(int version)
    {
        // Two 1M-parameter blocks on a roofline device; layers far longer than their collectives, so the
        // stream stays hidden and the step grows by exactly the copies: m x layers x (forward + backward).
        const int m = 2, layers = 2, d = 4;
        var roofline = PipelineFixtures.Roofline();
        var model = new ModelSpec
        {
            Name = "blocks",
            Layers = Enumerable.Range(0, layers).Select(i => new Layer
            {
                Name = $"block{i}", Kind = "attention", ForwardFlops = 2e12, BackwardFlops = 4e12, ForwardBytes = 1e6,
                Parameters = 1e6, OutputActivationBytes = 1e6, StoredActivationBytes = 4e6,
            }).ToList(),
        };
        var cluster = HardwarePresets.Cluster("dgx-a100", 1);
        var config = new PipelineConfig
        {
            Model = model, Stages = 1, Microbatches = m, Schedule = PipelineScheduleKind.GPipe, DataParallel = d,
            Zero = ZeroStage.Parameters, OptimizerSeconds = 0, GradientBytesPerParameter = 4,
        };
        double plain = PipelineTraining.Simulate(config, roofline, cluster, backend: NetworkBackend.Analytical).Training.IterationTimes[0];
        double fsdp = PipelineTraining.Simulate(config with { FsdpVersion = version }, roofline, cluster, backend: NetworkBackend.Analytical).Training.IterationTimes[0];
        double copies = m * layers * (FsdpCopies.Seconds(roofline, 1e6, FsdpCopies.BytesPerParameter(version, true, 4))
                                      + FsdpCopies.Seconds(roofline, 1e6, FsdpCopies.BytesPerParameter(version, false, 4)));
        Assert.Equal(plain + copies, fsdp, 12);
    }

    [Fact]
    public void An_fsdp_version_needs_zero_stage_3()
    {
        var (model, _) = PipelineFixtures.UniformBlocks(2);
        var config = new PipelineConfig { Model = model, Stages = 1, Microbatches = 1, DataParallel = 2, Zero = ZeroStage.Gradients, FsdpVersion = 1 };
        var e = Assert.Throws<ArgumentException>(config.Validate);
        Assert.StartsWith("pipeline.fsdp_version:", e.Message);
        Assert.Throws<ArgumentException>((config with { Zero = ZeroStage.Parameters, FsdpVersion = 3 }).Validate);
    }
}
