using Sim.Models.Memory;

namespace Sim.Models.Tests.Memory;

/// <summary>Mixed-precision Adam model states against Rajbhandari et al. (ZeRO, SC'20), Figure 1 and Section 5.</summary>
public class ModelStateMemoryTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(1024)]
    public void Bytes_per_parameter_follow_the_ZeRO_formulas(int nd)
    {
        Assert.Equal(16, ModelStateMemory.BytesPerParameter(ZeroStage.None, nd), 12);
        Assert.Equal(4 + 12.0 / nd, ModelStateMemory.BytesPerParameter(ZeroStage.OptimizerStates, nd), 12);
        Assert.Equal(2 + 14.0 / nd, ModelStateMemory.BytesPerParameter(ZeroStage.Gradients, nd), 12);
        Assert.Equal(16.0 / nd, ModelStateMemory.BytesPerParameter(ZeroStage.Parameters, nd), 12);
    }

    [Fact]
    public void Figure_1_of_the_ZeRO_paper_7_5B_parameters_on_64_GPUs()
    {
        // Figure 1: Psi = 7.5B, N_d = 64, K = 12: 120 GB, 31.4 GB, 16.6 GB, 1.9 GB per device.
        const double psi = 7.5e9;
        Assert.Equal(120, psi * ModelStateMemory.BytesPerParameter(ZeroStage.None, 64) / 1e9, 1);
        Assert.Equal(31.4, psi * ModelStateMemory.BytesPerParameter(ZeroStage.OptimizerStates, 64) / 1e9, 1);
        Assert.Equal(16.6, psi * ModelStateMemory.BytesPerParameter(ZeroStage.Gradients, 64) / 1e9, 1);
        Assert.Equal(1.9, psi * ModelStateMemory.BytesPerParameter(ZeroStage.Parameters, 64) / 1e9, 1);
    }

    [Fact]
    public void Sharding_never_increases_memory_and_parts_add_up()
    {
        foreach (int nd in new[] { 1, 2, 3, 16, 100 })
        {
            double previous = double.PositiveInfinity;
            foreach (var stage in Enum.GetValues<ZeroStage>())
            {
                var (p, g, o) = ModelStateMemory.PerParameter(stage, nd);
                Assert.Equal(p + g + o, ModelStateMemory.BytesPerParameter(stage, nd), 12);
                Assert.True(p + g + o <= previous);
                previous = p + g + o;
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelStateMemory.BytesPerParameter(ZeroStage.None, 0));
    }
}
