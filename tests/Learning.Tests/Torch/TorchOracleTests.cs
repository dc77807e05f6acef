using Sim.Core.Randomness;
using Sim.Learning.Tests.Loop;
using Sim.Models.Faults;
using Sim.Models.Learning.Data;
using Sim.Models.Learning.Loop;

namespace Sim.Learning.Tests.Torch;

/// <summary>The strategy oracles again, with real TorchSharp gradients of an MLP.</summary>
public class TorchOracleTests
{
    private static readonly GaussianBlobs Data = new(features: 8, classes: 4, train: 1024, test: 256, separation: 0.8, seed: 11);

    private static LoopConfig Config(TorchMlp mlp, int workers, int batch, long updates, int every = 5, ulong seed = 1) => new()
    {
        Model = mlp, Workers = workers, Batch = batch, LearningRate = 0.1, ReferenceBatch = 8, MaxUpdates = updates, EvaluateEvery = every, Seed = seed,
    };

    [Fact]
    public void Gradients_match_finite_differences()
    {
        if (!TorchAvailability.Require()) return;
        using var mlp = new TorchMlp(Data, hidden: 6);
        var x = new float[mlp.ParameterCount];
        mlp.Initialise(x, 3);
        var g = new float[mlp.ParameterCount];
        int[] batch = [0, 1, 2, 3, 4, 5, 6, 7];
        double loss = mlp.Gradient(x, batch, g);
        Assert.True(loss > 0 && double.IsFinite(loss));
        var probe = new float[g.Length];
        foreach (int i in new[] { 0, 17, mlp.ParameterCount / 2, mlp.ParameterCount - 1 })
        {
            const float h = 1e-2f;
            var plus = (float[])x.Clone(); plus[i] += h;
            var minus = (float[])x.Clone(); minus[i] -= h;
            double numeric = (mlp.Gradient(plus, batch, probe) - mlp.Gradient(minus, batch, probe)) / (2 * h);
            Assert.True(Math.Abs(numeric - g[i]) <= 2e-3 + 2e-2 * Math.Abs(g[i]), $"parameter {i}: autograd {g[i]} vs finite difference {numeric}");
        }
    }

    [Fact]
    public void Sync_with_n_workers_at_global_batch_B_is_one_worker_at_batch_B()
    {
        if (!TorchAvailability.Require()) return;
        using var mlp = new TorchMlp(Data, hidden: 16);
        var four = new SynchronousSgd().Run(Config(mlp, workers: 4, batch: 8, updates: 40));
        var one = new SynchronousSgd().Run(Config(mlp, workers: 1, batch: 32, updates: 40));
        Blobs.SameLosses(one.Curve, four.Curve, 1e-4);
        Assert.True(four.Final.Loss < four.Curve[0].Loss);
    }

    [Fact]
    public void Ssp_bound_zero_is_bsp_and_async_without_delay_is_sync()
    {
        if (!TorchAvailability.Require()) return;
        using var mlp = new TorchMlp(Data, hidden: 16);
        var bsp = new SynchronousSgd().Run(Config(mlp, workers: 4, batch: 8, updates: 30, every: 5));
        var ssp0 = new ParameterServerSgd { StalenessBound = 0 }.Run(Config(mlp, workers: 4, batch: 8, updates: 120, every: 20) with
        {
            Timing = new LoopTiming { Stragglers = new StragglerModel { Jitter = new LogNormal(0, 0.3) } },
        });
        Blobs.SameLosses(bsp.Curve, ssp0.Curve, 1e-4);

        var sync1 = new SynchronousSgd().Run(Config(mlp, workers: 1, batch: 8, updates: 40));
        var async1 = new ParameterServerSgd().Run(Config(mlp, workers: 1, batch: 8, updates: 40));
        Assert.Equal(sync1.Curve.Select(p => p.Loss), async1.Curve.Select(p => p.Loss));
    }

    [Fact]
    public void FedAvg_with_one_local_step_on_iid_shards_is_sync_sgd()
    {
        if (!TorchAvailability.Require()) return;
        using var mlp = new TorchMlp(Data, hidden: 16);
        var shards = Shards.Iid(mlp, 4, new RandomStream(2, "shards"));
        var cfg = Config(mlp, workers: 4, batch: 1024, updates: 20) with { ReferenceBatch = 1024, LearningRate = 0.5 };
        var fed = new FedAvg { ClientsPerRound = 4, LocalSteps = 1, ClientShards = shards }.Run(cfg);
        var sync = new SynchronousSgd().Run(cfg with { Workers = 1 });
        Blobs.SameLosses(sync.Curve, fed.Curve, 1e-4);
    }

    [Fact]
    public void The_same_seed_gives_the_same_loss_curve_bit_for_bit()
    {
        if (!TorchAvailability.Require()) return;
        using var mlp = new TorchMlp(Data, hidden: 16);
        var timing = new LoopTiming { Stragglers = new StragglerModel { Jitter = new LogNormal(0, 0.5), SlowFraction = 0.25, SlowFactor = 3 } };
        LoopOutcome Run(ulong seed) => new ParameterServerSgd { StalenessBound = 2 }.Run(Config(mlp, workers: 8, batch: 8, updates: 120, every: 10, seed: seed) with { Timing = timing });
        var a = Run(9);
        var b = Run(9);
        Assert.Equal(a.Curve, b.Curve);
        Assert.Equal(a.StalenessHistogram, b.StalenessHistogram);
        Assert.NotEqual(a.Curve.Select(p => p.Loss), Run(10).Curve.Select(p => p.Loss));
    }
}
