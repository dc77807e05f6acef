using Sim.Core.Randomness;
using Sim.Models.Faults;
using Sim.Models.Learning.Loop;

namespace Sim.Learning.Tests.Loop;

/// <summary>The equivalences that must hold exactly (up to float summation order) between strategies.</summary>
public class StrategyOracleTests
{
    [Fact]
    public void Sync_with_n_workers_at_global_batch_B_is_one_worker_at_batch_B()
    {
        var four = new SynchronousSgd().Run(Blobs.Config(workers: 4, batch: 8, updates: 60));
        var one = new SynchronousSgd().Run(Blobs.Config(workers: 1, batch: 32, updates: 60));
        Blobs.SameLosses(one.Curve, four.Curve, 1e-5);
        Assert.True(four.Final.Loss < 0.8 * four.Curve[0].Loss, "the model must actually learn");
    }

    [Fact]
    public void Ssp_with_bound_zero_is_bulk_synchronous()
    {
        // Each SSP push is one update of one worker's batch at the unscaled rate; a synchronous step is
        // one update of 4 workers' batches at 4x the rate (linear scaling): equal after every 4 pushes.
        var bsp = new SynchronousSgd().Run(Blobs.Config(workers: 4, batch: 8, updates: 50, every: 5));
        var ssp0 = new ParameterServerSgd { StalenessBound = 0 }.Run(Blobs.Config(workers: 4, batch: 8, updates: 200, every: 20) with
        {
            Timing = new LoopTiming { Stragglers = new StragglerModel { Jitter = new Sim.Core.Randomness.LogNormal(0, 0.3) } },
        });
        Blobs.SameLosses(bsp.Curve, ssp0.Curve, 1e-5);
        Assert.True(ssp0.StalenessHistogram.Count <= 4, "within a clock all gradients are computed on the same version");
    }

    [Fact]
    public void Async_without_delay_is_synchronous()
    {
        // One worker: every gradient is applied before the next is computed, whatever the timing.
        var sync = new SynchronousSgd().Run(Blobs.Config(workers: 1, batch: 8, updates: 80));
        var async = new ParameterServerSgd().Run(Blobs.Config(workers: 1, batch: 8, updates: 80));
        Assert.Equal(sync.Curve.Select(p => p.Loss), async.Curve.Select(p => p.Loss));
        Assert.Equal(0, async.MeanStaleness);
    }

    [Fact]
    public void Local_sgd_with_one_local_step_is_synchronous()
    {
        var sync = new SynchronousSgd().Run(Blobs.Config(workers: 4, batch: 8, updates: 60));
        var local = new LocalSgd { LocalSteps = 1 }.Run(Blobs.Config(workers: 4, batch: 8, updates: 60));
        Blobs.SameLosses(sync.Curve, local.Curve, 1e-5);
    }

    [Fact]
    public void FedAvg_with_one_local_step_on_iid_shards_is_synchronous_sgd()
    {
        // Five IID shards of unequal sizes; every client every round, one step on its whole shard:
        // the sample-weighted average of client models is one full-batch gradient step.
        var model = Blobs.Model();
        var order = Shards.Iid(model, 1, new RandomStream(3, "shards"))[0];
        int[] cuts = [0, 300, 700, 1000, 1500, 2048];
        var shards = Enumerable.Range(0, 5).Select(c => order[cuts[c]..cuts[c + 1]]).ToArray();
        var fed = new FedAvg { ClientsPerRound = 5, LocalSteps = 1, ClientShards = shards }
            .Run(Blobs.Config(workers: 5, batch: 2048, updates: 30) with { ReferenceBatch = 2048, LearningRate = 0.5 });
        var sync = new SynchronousSgd().Run(Blobs.Config(workers: 1, batch: 2048, updates: 30) with { ReferenceBatch = 2048, LearningRate = 0.5 });
        Blobs.SameLosses(sync.Curve, fed.Curve, 1e-5);
    }
}
