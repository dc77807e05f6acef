using Sim.Models.Training.Pipeline;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// The textbook bubble (Narayanan et al. 2021; Huang et al. 2019): with balanced stages and free
/// communication, idle time / ideal compute time is (p - 1)/m for GPipe and 1F1B and (p - 1)/(v m) for
/// interleaved 1F1B, and the iteration takes (m + (p - 1)/v)(t_f + t_b). The simulator runs the real
/// per-micro-batch schedule; these closed forms are the oracle.
/// </summary>
public class BubbleOracleTests
{
    public static TheoryData<PipelineScheduleKind, int, int, int> Grid()
    {
        var data = new TheoryData<PipelineScheduleKind, int, int, int>();
        foreach (var kind in new[] { PipelineScheduleKind.GPipe, PipelineScheduleKind.OneFOneB })
            foreach (int p in new[] { 1, 2, 3, 4, 8 })
                foreach (int m in new[] { 1, 2, 4, 7, 8, 16, 32 })
                    if (kind == PipelineScheduleKind.GPipe || m >= p) data.Add(kind, p, m, 1);
        foreach (int p in new[] { 2, 3, 4, 8 })
            foreach (int v in new[] { 2, 3, 4 })
                foreach (int k in new[] { 1, 2, 4 })
                    data.Add(PipelineScheduleKind.Interleaved, p, k * p, v);
        return data;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void Bubble_fraction_and_iteration_time_match_the_closed_forms(PipelineScheduleKind kind, int p, int m, int v)
    {
        const double tf = 1e-3, tb = 2e-3; // per layer; 2 layers per chunk
        var (model, compute) = PipelineFixtures.UniformBlocks(2 * p * v, tf, tb);
        var cfg = new PipelineConfig { Model = model, Stages = p, Microbatches = m, Schedule = kind, VirtualStages = v, OptimizerSeconds = 0 };
        var r = PipelineTraining.Simulate(cfg, compute);

        double expectedBubble = (p - 1.0) / (v * m);
        foreach (var s in r.Stages) Assert.Equal(expectedBubble, s.BubbleFraction, 1e-9);
        double stageTime = 2 * v * (tf + tb); // one micro-batch through all v chunks (2 layers each) of a device
        double expectedIteration = (m + (p - 1.0) / v) * stageTime;
        Assert.Equal(expectedIteration, r.Training.IterationTimes[0], 1e-12);
        Assert.Equal(expectedBubble * m * stageTime, r.Training.Breakdown.Bubble, 1e-12);
    }

    /// <summary>
    /// Llama 3 405B's layout (Llama Team 2024, Section 3.3.2): 16 pipeline ranks, 128 one-layer chunks
    /// (v = 8), 32 or 16 micro-batches per step (Table 4, 8,192 and 16,384 GPUs). The paper's bubble ratio
    /// (PP - 1)/(V M) is 15/256 and 15/128; with equal layers and free communication the simulated
    /// schedule must give exactly that.
    /// </summary>
    [Theory]
    [InlineData(32)]
    [InlineData(16)]
    public void Llama3_layout_bubble_is_the_papers_ratio(int m)
    {
        const int p = 16, v = 8;
        const double tf = 1e-3, tb = 2e-3;
        var (model, compute) = PipelineFixtures.UniformBlocks(p * v, tf, tb);
        var cfg = new PipelineConfig
        {
            Model = model, Stages = p, Microbatches = m, Schedule = PipelineScheduleKind.Interleaved, VirtualStages = v,
            Partition = PartitionMethod.Explicit, LayersPerStage = Enumerable.Repeat(1, p * v).ToArray(), OptimizerSeconds = 0,
        };
        var r = PipelineTraining.Simulate(cfg, compute);
        foreach (var s in r.Stages) Assert.Equal((p - 1.0) / (v * m), s.BubbleFraction, 1e-9);
        Assert.Equal((m + (p - 1.0) / v) * v * (tf + tb), r.Training.IterationTimes[0], 1e-12);
    }

    [Fact]
    public void Interleaving_shrinks_the_bubble_by_v()
    {
        var (model, compute) = PipelineFixtures.UniformBlocks(48);
        double Bubble(PipelineScheduleKind k, int v) => PipelineTraining.Simulate(
            new PipelineConfig { Model = model, Stages = 4, Microbatches = 8, Schedule = k, VirtualStages = v, OptimizerSeconds = 0 }, compute).BubbleFraction;
        double oneF = Bubble(PipelineScheduleKind.OneFOneB, 1);
        Assert.Equal(3.0 / 8, oneF, 1e-9);
        Assert.Equal(oneF / 2, Bubble(PipelineScheduleKind.Interleaved, 2), 1e-9);
        Assert.Equal(oneF / 3, Bubble(PipelineScheduleKind.Interleaved, 3), 1e-9);
    }
}
