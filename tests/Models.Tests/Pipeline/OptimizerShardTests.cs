using Sim.Core;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Memory;
using Sim.Models.Training;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// The optimizer step of a pipeline stage against its closed form: each GPU steps only the parameters
/// it holds, the stage's parameters / tensor-parallel size (/ the data-parallel group under ZeRO), as a
/// memory-bound Adam pass of 28 bytes per parameter at the streaming bandwidth.
/// </summary>
public sealed class OptimizerShardTests
{
    private static readonly DeviceSpec A100 = HardwarePresets.A100Sxm80;

    [Theory]
    [InlineData(1, 1, ZeroStage.None)]
    [InlineData(2, 1, ZeroStage.None)]
    [InlineData(8, 1, ZeroStage.None)]
    [InlineData(8, 4, ZeroStage.OptimizerStates)]
    public void Each_gpu_steps_only_its_own_shard_of_the_stage(int t, int dp, ZeroStage zero)
    {
        var model = Transformer.Gpt(new TransformerConfig { Name = "t", Layers = 8, Hidden = 4096, Heads = 32, Sequence = 2048, Vocabulary = 51200 });
        var compute = new KernelCompute(A100, Precision.Bf16);
        var cfg = new PipelineConfig { Model = model, Stages = 2, Microbatches = 4, TensorParallel = t, DataParallel = dp, Zero = zero };
        var engine = new PipelineEngine(new Simulation(), cfg, compute, null, 8);
        var facts = A100.Kernels!;
        for (int d = 0; d < 2; d++)
        {
            double shard = engine.DeviceParameters(d) / t / (zero == ZeroStage.None ? 1 : dp);
            double adam = 28 * shard / (A100.MemoryBandwidth * facts.MemoryEfficiency) + facts.KernelOverheadSeconds;
            Assert.Equal(adam, engine.OptimizerSeconds(d), 12);
            Assert.Equal(SyncDataParallel.OptimizerEstimate(compute, shard), engine.OptimizerSeconds(d), 15);
        }
    }
}
