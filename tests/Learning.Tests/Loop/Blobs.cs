using Sim.Models.Learning.Data;
using Sim.Models.Learning.Loop;

namespace Sim.Learning.Tests.Loop;

/// <summary>The small data set and plain-C# model the strategy tests share.</summary>
internal static class Blobs
{
    public static readonly GaussianBlobs Data = new(features: 8, classes: 4, train: 2048, test: 512, separation: 0.8, seed: 11);

    public static SoftmaxRegression Model() => new(Data);

    public static LoopConfig Config(int workers, int batch, long updates, int every = 5, ulong seed = 1) => new()
    {
        Model = Model(), Workers = workers, Batch = batch, LearningRate = 0.2, ReferenceBatch = 8,
        MaxUpdates = updates, EvaluateEvery = every, Seed = seed,
    };

    /// <summary>Asserts two curves' losses agree to a relative tolerance, point by point.</summary>
    public static void SameLosses(IReadOnlyList<CurvePoint> expected, IReadOnlyList<CurvePoint> actual, double relative)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double e = expected[i].Loss, a = actual[i].Loss;
            Assert.True(Math.Abs(e - a) <= relative * Math.Abs(e), $"point {i}: loss {a:R} vs {e:R} (relative {Math.Abs(e - a) / Math.Abs(e):G3})");
        }
    }
}
