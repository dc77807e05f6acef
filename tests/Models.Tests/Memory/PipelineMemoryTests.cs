using Sim.Models.Memory;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;
using Sim.Models.Tests.Pipeline;

namespace Sim.Models.Tests.Memory;

/// <summary>
/// Per-stage memory of simulated pipeline runs against the published formulas: activations kept in
/// flight by each schedule (GPipe m, 1F1B p - s, interleaved L(1 + (p - 1)/(p v)) layers on the first
/// stage, Korthikanti et al. 2022 Section 4.2.3) times Korthikanti's Table 2 per-layer bytes
/// (<see cref="TransformerActivationMemory"/>), plus ZeRO model states on the stage's parameter shard.
/// </summary>
public class PipelineMemoryTests
{
    /// <summary>GPT-3 with unfused attention, as Korthikanti et al.'s Table 2 assumes.</summary>
    private static readonly TransformerConfig Gpt3 = ModelZoo.Gpt3_175B with { FlashAttention = false };

    private static PipelineResult RunGpt3(PipelineScheduleKind kind, int p, int m, int v, int t, bool sp, Recomputation rc,
        ZeroStage zero = ZeroStage.None, int d = 1) =>
        PipelineTraining.Simulate(new PipelineConfig
        {
            Model = Transformer.Gpt(Gpt3), Transformer = Gpt3, Stages = p, Microbatches = m, Schedule = kind, VirtualStages = v,
            TensorParallel = t, SequenceParallel = sp, Recompute = rc, Zero = zero, DataParallel = d,
            Partition = PartitionMethod.Uniform, OptimizerSeconds = 0, DeviceMemoryBytes = 80e9,
        }, PipelineFixtures.Roofline());

    [Theory]
    [InlineData(PipelineScheduleKind.GPipe, 1, Recomputation.None, false)]
    [InlineData(PipelineScheduleKind.OneFOneB, 1, Recomputation.None, false)]
    [InlineData(PipelineScheduleKind.OneFOneB, 1, Recomputation.Selective, true)]
    [InlineData(PipelineScheduleKind.OneFOneB, 1, Recomputation.Full, false)]
    [InlineData(PipelineScheduleKind.Interleaved, 2, Recomputation.None, true)]
    [InlineData(PipelineScheduleKind.Interleaved, 3, Recomputation.Selective, false)]
    public void Activation_peaks_equal_in_flight_count_times_Korthikanti_per_layer_bytes(PipelineScheduleKind kind, int v, Recomputation rc, bool sp)
    {
        const int p = 8, m = 16, t = 8;
        var r = RunGpt3(kind, p, m, v, t, sp, rc);
        double perLayer = TransformerActivationMemory.PerLayerBytes(Gpt3.Sequence, 1, Gpt3.Hidden, Gpt3.Heads, t, sp, rc);
        int layersPerChunk = Gpt3.Layers / (p * v);
        for (int s = 1; s < p - 1; s++) // the first and last stages also hold the embedding and the LM head
        {
            int inFlight = PipelineSchedule.PeakInFlight(kind, p, m, v, s);
            Assert.Equal(inFlight, r.Stages[s].Memory.PeakInFlight);
            Assert.Equal(inFlight * layersPerChunk * perLayer, r.Stages[s].Memory.ActivationBytes, 1e-6 * perLayer);
        }
        int expectedFirst = kind switch { PipelineScheduleKind.GPipe => m, PipelineScheduleKind.OneFOneB => p, _ => p * v + p - 1 };
        Assert.Equal(expectedFirst, r.Stages[0].Memory.PeakInFlight);
        if (kind == PipelineScheduleKind.Interleaved) // Korthikanti 4.2.3: L (1 + (p - 1)/(p v)) layers' worth on stage 0 (its embedding stores none)
            Assert.Equal(Gpt3.Layers * (1 + (p - 1.0) / (p * v)) * perLayer, r.Stages[0].Memory.ActivationBytes, 1e-6 * perLayer);
    }

    [Fact]
    public void Model_states_per_GPU_are_16_bytes_per_parameter_shard_and_divide_under_ZeRO()
    {
        const int p = 8, t = 8, d = 4;
        var model = Transformer.Gpt(Gpt3);
        double blockParams = Transformer.BlockParameters(Gpt3);
        foreach (var zero in Enum.GetValues<ZeroStage>())
        {
            var r = RunGpt3(PipelineScheduleKind.OneFOneB, p, 8, 1, t, true, Recomputation.Selective, zero, d);
            var mid = r.Stages[3].Memory;
            double shard = blockParams * (Gpt3.Layers / p) / t;
            Assert.Equal(shard, mid.ParameterCount, 1e-3);
            Assert.Equal(shard * ModelStateMemory.BytesPerParameter(zero, d), mid.ModelStateBytes, 1e-3);
            // The whole model is held once per replica, plus the last stage's copy of the tied word
            // embedding (TiedEmbeddingSync): stage shards times t add up to all parameters and V x h.
            Assert.Equal(model.Parameters + (double)Gpt3.Vocabulary * Gpt3.Hidden, r.Stages.Sum(s => s.Memory.ParameterCount) * t, 1e-3 * model.Parameters);
        }
    }

    [Fact]
    public void A_configuration_that_does_not_fit_is_flagged_with_its_numbers()
    {
        // GPT-3 175B on p = 8, t = 8 without recomputation: ~44 GB of model states and ~56 GB of activations on stage 0.
        var big = RunGpt3(PipelineScheduleKind.OneFOneB, 8, 16, 1, 8, false, Recomputation.None);
        Assert.False(big.Fits);
        Assert.Contains(big.MemoryWarnings, w => w.StartsWith("stage 0:") && w.Contains("DOES NOT FIT") && w.Contains("of 80.00 GB"));
        Assert.True(big.PeakMemory.TotalBytes > 80e9);
        // Selective recomputation with sequence parallelism (Korthikanti et al.'s recipe) brings it under 80 GB.
        var small = RunGpt3(PipelineScheduleKind.OneFOneB, 8, 16, 1, 8, true, Recomputation.Selective);
        Assert.True(small.Fits, string.Join("; ", small.Stages.Select(s => s.Memory.Describe())));
        Assert.Empty(small.MemoryWarnings);
    }
}
