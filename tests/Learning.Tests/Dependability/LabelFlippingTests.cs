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
    private const int N = 10, F = 3, Batch = 16, Hidden = 32, Steps = 120, Seeds = 8;
    private static readonly GaussianBlobs Data = new(features: 20, classes: 10, train: 4096, test: 1024, separation: 0.5, seed: 5);

    private double[] Accuracy(string label, Func<ByzantineSgd> strategy, int seeds = Seeds) =>
        MlpSeedRuns.FinalAccuracies(output, label, Data, Hidden, seeds,
            (mlp, seed) => new LoopConfig { Model = mlp, Workers = N, Batch = Batch, LearningRate = 0.3, ReferenceBatch = N * Batch, MaxUpdates = Steps, EvaluateEvery = Steps, Seed = seed },
            (_, _) => strategy());

    private ConfidenceInterval Paired(string label, double[] a, double[] b) => MlpSeedRuns.Paired(output, label, a, b);

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
        // A whole run with label-flipping workers: same seed, same bits.
        var once = Accuracy("mean, 3 label flippers, 2 seeds", () => new ByzantineSgd("label-flip", null, F, true, "mean"), seeds: 2);
        var twice = Accuracy("the same again", () => new ByzantineSgd("label-flip", null, F, true, "mean"), seeds: 2);
        Assert.Equal(once, twice);
    }

    [Fact]
    public void Label_flipping_hurts_averaging_less_than_sign_flipping_and_robust_rules_contain_it()
    {
        if (!TorchAvailability.Require()) return;
        var built = new AggregatorOptions { Workers = N, Dimension = 1, Byzantine = F };
        var clean = Accuracy("mean, no attack", () => new ByzantineSgd("none", null, 0, false, "mean"));
        var meanLf = Accuracy($"mean, {F} label flippers of {N}", () => new ByzantineSgd("label-flip", null, F, false, "mean"));
        var meanSf = Accuracy($"mean, {F} sign flippers of {N} (-g)", () => new ByzantineSgd("sign-flip", null, F, false, "mean"));
        var median = Accuracy($"median (f = {F}), no attack", () => new ByzantineSgd("none", null, 0, false, "median", defenceOptions: built));
        var medianLf = Accuracy($"median, {F} label flippers", () => new ByzantineSgd("label-flip", null, F, false, "median"));
        var trimmed = Accuracy($"trimmed mean (f = {F}), no attack", () => new ByzantineSgd("none", null, 0, false, "trimmed-mean", defenceOptions: built));
        var trimmedLf = Accuracy($"trimmed mean, {F} label flippers", () => new ByzantineSgd("label-flip", null, F, false, "trimmed-mean"));
        var krum = Accuracy($"krum (f = {F}), no attack", () => new ByzantineSgd("none", null, 0, false, "krum", defenceOptions: built));
        var krumLf = Accuracy($"krum, {F} label flippers", () => new ByzantineSgd("label-flip", null, F, false, "krum"));
        Assert.True(ConfidenceInterval.Of(clean).Lower > 0.6, "the clean run should learn");
        var lfOverSf = Paired("mean: label flip - sign flip", meanLf, meanSf);
        var meanLoss = Paired("mean: clean - label flip", clean, meanLf);
        var medianLoss = Paired("median: clean - label flip", median, medianLf);
        var trimmedLoss = Paired("trimmed mean: clean - label flip", trimmed, trimmedLf);
        var krumLoss = Paired("krum: clean - label flip", krum, krumLf);
        Assert.True(lfOverSf.Lower > 0, $"label flipping should hurt averaging less than sign flipping: {lfOverSf}");
        Assert.True(meanLoss.Lower > 0.03, $"label flipping should still cost averaging accuracy: {meanLoss}");
        // What we see (docs/dependability.md): Krum contains label flipping (it costs Krum far less than
        // it costs the mean), while the coordinate-wise median and trimmed mean lose about as much as the
        // mean: a flipped-label gradient is not an outlier in any single coordinate.
        Assert.True(krumLoss.Upper < meanLoss.Lower, $"Krum should contain label flipping: {krumLoss} vs mean {meanLoss}");
        Assert.True(medianLoss.Lower > 0.03 && trimmedLoss.Lower > 0.03, $"median {medianLoss}, trimmed mean {trimmedLoss}");
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
        Assert.True(ConfidenceInterval.Of(mean).Lower > 0.6, "averaging should learn on non-IID shards");
        var medianCost = Paired("mean - median", mean, median);
        var trimmedCost = Paired("mean - trimmed mean", mean, trimmed);
        var krumCost = Paired("mean - krum", mean, krum);
        var bucketedKrumCost = Paired("mean - bucketing + krum", mean, bKrum);
        var krumRecovered = Paired("bucketing + krum - krum", bKrum, krum);
        Paired("bucketing + median - median", bMedian, median);
        Assert.True(medianCost.Lower > 0.1 && trimmedCost.Lower > 0.02 && krumCost.Lower > 0.2,
            $"robust rules should cost accuracy with f = 0 on non-IID shards: median {medianCost}, trimmed {trimmedCost}, krum {krumCost}");
        Assert.True(krumRecovered.Lower > 0.1 && bucketedKrumCost.Lower > 0, $"bucketing should recover part of Krum's loss: {krumRecovered}, still {bucketedKrumCost} below the mean");
    }

    /// <summary>Federated rounds (<see cref="ByzantineFedAvg"/>): 40 IID clients, K = 10 per round of which 3
    /// are Byzantine (redrawn every round), 2 local steps of batch 16 at rate 0.1, 80 rounds.</summary>
    private double[] Federated(string label, string attack, string rule, int seeds = 6) =>
        MlpSeedRuns.FinalAccuracies(output, $"federated: {label}", Data, Hidden, seeds,
            (mlp, seed) => new LoopConfig { Model = mlp, Workers = 40, Batch = Batch, LearningRate = 0.1, MaxUpdates = 80, EvaluateEvery = 80, Seed = seed },
            (mlp, seed) => new ByzantineFedAvg
            {
                ClientsPerRound = N, LocalSteps = 2, ClientShards = Shards.Iid(mlp, 40, new RandomStream(seed, "learning.shards")),
                Attack = attack, Byzantine = attack == "none" ? 0 : F, Aggregator = rule,
            });

    [Fact]
    public void Federated_clients_flip_labels_with_real_local_training()
    {
        if (!TorchAvailability.Require()) return;
        var clean = Federated("mean, no attack", "none", "mean");
        var meanLf = Federated("mean, 3 of 10 clients flip labels", "label-flip", "mean");
        var meanSf = Federated("mean, 3 of 10 clients flip signs", "sign-flip", "mean");
        var krumLf = Federated("krum, 3 of 10 clients flip labels", "label-flip", "krum");
        Assert.Equal(meanLf[..2], Federated("mean, label flip, seeds 1-2 again", "label-flip", "mean", seeds: 2));   // same seed, same bits
        Assert.True(ConfidenceInterval.Of(clean).Lower > 0.5, "federated averaging should learn");
        var meanLoss = Paired("federated mean: clean - label flip", clean, meanLf);
        var lfOverSf = Paired("federated mean: label flip - sign flip", meanLf, meanSf);
        var krumVsMean = Paired("federated: krum - mean under label flip", krumLf, meanLf);
        Assert.True(meanLoss.Lower > 0, $"label-flipping clients should cost averaging accuracy: {meanLoss}");
        Assert.True(lfOverSf.Lower > 0, $"label-flipping clients should hurt averaging less than sign-flipping ones: {lfOverSf}");
        Assert.True(krumVsMean.Lower > 0, $"Krum should contain label-flipping clients better than the mean: {krumVsMean}");
    }
}
