using Sim.Models.Learning.Data;
using Sim.Models.Learning.Loop;

namespace Sim.Learning.Tests.Torch;

/// <summary>The small CNN and the tiny transformer LM: gradients are right, parameters are all used, and
/// synchronous SGD in the loop makes them learn; the generated data sets are what their docs say.</summary>
public class TorchModelsTests
{
    private static readonly ShapeImages Shapes = new(side: 12, train: 1024, test: 256, noise: 0.3, seed: 5);
    private static readonly MarkovText Text = new(vocabulary: 12, length: 10, train: 1024, test: 256, seed: 5);

    [Fact]
    public void Generated_data_match_their_definitions()
    {
        // The ideal next-token predictor is right with the likely successor's probability 0.6 + 0.15/V.
        Assert.Equal(0.6 + 0.15 / 12, Text.BayesAccuracy, 12);
        // Every row is the same multiset {0.6 + e, 0.25 + e, e x (V - 2)}, e = 0.15 / V.
        double e = 0.15 / 12;
        double entropy = -((0.6 + e) * Math.Log(0.6 + e) + (0.25 + e) * Math.Log(0.25 + e) + 10 * e * Math.Log(e));
        Assert.Equal(entropy, Text.EntropyRate, 12);
        for (int a = 0; a < 12; a++) Assert.Equal(1.0, Enumerable.Range(0, 12).Sum(b => Text.Probability(a, b)), 12);
        Assert.All(Text.Train, t => Assert.InRange(t, 0, 11));
        // Each image carries one stroke of 4-7 unit pixels on zero-mean noise.
        for (int i = 0; i < 64; i++)
        {
            double sum = Shapes.TrainPixels.AsSpan(i * 144, 144).ToArray().Sum();
            Assert.InRange(sum, 4 - 5 * 0.3 * 12, 7 + 5 * 0.3 * 12);
        }
        Assert.Equal(4, Shapes.TrainLabels.Distinct().Count());
    }

    public static TheoryData<string> Models => new() { "cnn", "transformer" };

    private static TorchGradientModel Make(string kind) => kind == "cnn" ? new TorchCnn(Shapes) : new TorchTinyTransformer(Text, width: 8);

    [Theory]
    [MemberData(nameof(Models))]
    public void Gradients_match_finite_differences_and_touch_every_parameter_block(string kind)
    {
        if (!TorchAvailability.Require()) return;
        using var model = Make(kind);
        var x = new float[model.ParameterCount];
        model.Initialise(x, 3);
        var g = new float[model.ParameterCount];
        int[] batch = [0, 1, 2, 3, 4, 5, 6, 7];
        model.Gradient(x, batch, g);
        Assert.True(g[^1] != 0 && g[0] != 0, "first and last parameters get gradient (slices cover the vector)");
        var probe = new float[g.Length];
        foreach (int i in new[] { 1, model.ParameterCount / 3, model.ParameterCount / 2, model.ParameterCount - 2 })
        {
            const float h = 1e-2f;
            var plus = (float[])x.Clone(); plus[i] += h;
            var minus = (float[])x.Clone(); minus[i] -= h;
            double numeric = (model.Gradient(plus, batch, probe) - model.Gradient(minus, batch, probe)) / (2 * h);
            Assert.True(Math.Abs(numeric - g[i]) <= 3e-3 + 3e-2 * Math.Abs(g[i]), $"{kind} parameter {i}: autograd {g[i]} vs finite difference {numeric}");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Learns_in_the_loop_deterministically(string kind)
    {
        if (!TorchAvailability.Require()) return;
        using var model = Make(kind);
        var config = new LoopConfig { Model = model, Workers = 2, Batch = 16, LearningRate = kind == "cnn" ? 0.1 : 0.2, MaxUpdates = 120, EvaluateEvery = 40, Seed = 4 };
        var a = new SynchronousSgd().Run(config);
        Assert.True(a.Final.Loss < 0.9 * a.Curve[0].Loss, $"{kind}: loss {a.Curve[0].Loss} -> {a.Final.Loss}");
        Assert.Equal(a.Curve, new SynchronousSgd().Run(config).Curve);
    }
}
