using Sim.Core.Randomness;
using Sim.Core.Statistics;
using Sim.Learning.Tests.Torch;
using Sim.Models.Dependability;
using Sim.Models.Learning.Data;
using Sim.Models.Learning.Loop;
using Xunit.Abstractions;

namespace Sim.Learning.Tests.Dependability;

/// <summary>
/// Label flipping (data poisoning) with real training in the loop: Byzantine workers compute the real
/// TorchSharp gradient of their own batch under labels y -> C - 1 - y and send it unchanged. A
/// TorchSharp MLP (20-32-32-10) on Gaussian blobs, n = 10 workers of which f = 3 are Byzantine, batch 16
/// per worker. Final held-out accuracy over seeds, 95% intervals; numbers in docs/dependability.md.
/// </summary>
public class LabelFlippingTests(ITestOutputHelper output)
{
    private const int N = 10, F = 3, Batch = 16, Hidden = 32, Steps = 120, Seeds = 10;
    private static readonly GaussianBlobs Data = new(features: 20, classes: 10, train: 4096, test: 1024, separation: 0.5, seed: 5);

    private ConfidenceInterval Accuracy(string label, Func<ByzantineSgd> strategy, int seeds = Seeds)
    {
        var acc = new List<double>();
        for (ulong seed = 1; seed <= (ulong)seeds; seed++)
        {
            using var mlp = new TorchMlp(Data, Hidden);
            var config = new LoopConfig { Model = mlp, Workers = N, Batch = Batch, LearningRate = 0.3, ReferenceBatch = N * Batch, MaxUpdates = Steps, EvaluateEvery = Steps, Seed = seed };
            acc.Add(strategy().Run(config).Final.Accuracy);
        }
        var ci = ConfidenceInterval.Of(acc);
        output.WriteLine($"| {label} | {ci.Mean:F3} ± {ci.HalfWidth:F3} |");
        return ci;
    }

    [Fact]
    public void A_flipped_label_gradient_is_a_real_gradient_that_differs_from_the_honest_one()
    {
        if (!TorchAvailability.Require()) return;
        using var mlp = new TorchMlp(Data, Hidden);
        var w = new float[mlp.ParameterCount];
        mlp.Initialise(w, 7);
        int[] batch = [0, 1, 2, 3, 4, 5, 6, 7];
        var own = batch.Select(mlp.LabelOf).ToArray();
        var flip = new LabelFlipping();
        var flipped = own.Select(y => flip.PoisonLabel(y, mlp.Classes)).ToArray();
        var honest = new float[w.Length];
        var relabelled = new float[w.Length];
        var poisoned = new float[w.Length];
        var again = new float[w.Length];
        mlp.Gradient(w, batch, honest);
        mlp.Gradient(w, batch, own, relabelled);
        double poisonedLoss = mlp.Gradient(w, batch, flipped, poisoned);
        mlp.Gradient(w, batch, flipped, again);
        Assert.Equal(honest, relabelled);   // the data set's own labels give the honest gradient bit for bit
        Assert.Equal(poisoned, again);      // deterministic
        double diff = 0, norm = 0;
        for (int i = 0; i < w.Length; i++) { diff += (poisoned[i] - honest[i]) * (poisoned[i] - honest[i]); norm += honest[i] * honest[i]; }
        Assert.True(diff > 0.01 * norm, $"flipped-label gradient should differ: |g' - g|^2 = {diff}, |g|^2 = {norm}");
        Assert.True(poisonedLoss > Math.Log(mlp.Classes) * 0.5);
        Assert.Throws<ArgumentException>(() => mlp.Gradient(w, batch, flipped.Take(3).ToArray(), poisoned));
    }

    [Fact]
    public void Label_flipping_hurts_averaging_less_than_sign_flipping_and_robust_rules_contain_it()
    {
        if (!TorchAvailability.Require()) return;
        var built = new AggregatorOptions { Workers = N, Dimension = 1, Byzantine = F };
        var clean = Accuracy("mean, no attack", () => new ByzantineSgd("none", null, 0, false, "mean"));
        var meanLf = Accuracy("mean, 3 label flippers of 10", () => new ByzantineSgd("label-flip", null, F, false, "mean"));
        var meanSf = Accuracy("mean, 3 sign flippers of 10 (-g)", () => new ByzantineSgd("sign-flip", null, F, false, "mean"));
        var medianLf = Accuracy("median, 3 label flippers", () => new ByzantineSgd("label-flip", null, F, false, "median"));
        var trimmedLf = Accuracy("trimmed mean, 3 label flippers", () => new ByzantineSgd("label-flip", null, F, false, "trimmed-mean"));
        var krumLf = Accuracy("krum, 3 label flippers", () => new ByzantineSgd("label-flip", null, F, false, "krum"));
        _ = built;
        Assert.True(clean.Lower > 0.5, $"clean run should learn: {clean}");
        Assert.True(meanLf.Lower > meanSf.Upper, $"label flipping should hurt averaging less than sign flipping: {meanLf} vs {meanSf}");
        Assert.True(medianLf.Mean > 0 && trimmedLf.Mean > 0 && krumLf.Mean > 0);
    }

    [Fact]
    public void With_no_attack_robust_rules_cost_accuracy_on_non_iid_shards()
    {
        if (!TorchAvailability.Require()) return;
        int[][] shards = [];
        ByzantineSgd With(string rule, string? pre = null) =>
            new("none", null, 0, false, rule, pre, new AggregatorOptions { Workers = N, Dimension = 1, Byzantine = 1, BucketSize = pre is null ? null : 2 }, shards);
        using (var m = new TorchMlp(Data, Hidden)) shards = Shards.ByLabel(m, N, 2, new RandomStream(11, "shards"));
        var mean = Accuracy("non-IID, f = 0: mean", () => With("mean"));
        var median = Accuracy("median (f = 1)", () => With("median"));
        var trimmed = Accuracy("trimmed mean (f = 1)", () => With("trimmed-mean"));
        var krum = Accuracy("krum (f = 1)", () => With("krum"));
        var bMedian = Accuracy("bucketing s = 2 + median", () => With("median", "bucketing"));
        var bKrum = Accuracy("bucketing s = 2 + krum", () => With("krum", "bucketing"));
        Assert.True(mean.Mean > 0 && median.Mean > 0 && trimmed.Mean > 0 && krum.Mean > 0 && bMedian.Mean > 0 && bKrum.Mean > 0);
    }
}
