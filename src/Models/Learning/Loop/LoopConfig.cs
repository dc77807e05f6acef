namespace Sim.Models.Learning.Loop;

/// <summary>
/// What every training-in-the-loop run shares: the model, the workers, the per-worker batch, the
/// learning-rate rule, when to evaluate and when to stop, the cluster's timing and the seed. Strategy
/// settings (staleness bound, averaging period, clients, buffer) live on the strategies.
/// </summary>
public sealed record LoopConfig
{
    public required IGradientModel Model { get; init; }
    /// <summary>Workers (or federated clients) taking part (&gt;= 1).</summary>
    public required int Workers { get; init; }
    /// <summary>Examples per worker per step (&gt;= 1).</summary>
    public required int Batch { get; init; }
    /// <summary>Learning rate at <see cref="ReferenceBatch"/> examples per update (&gt; 0).</summary>
    public required double LearningRate { get; init; }
    /// <summary>The batch the learning rate is for; an update of G examples uses LearningRate x G /
    /// ReferenceBatch after warm-up (linear scaling; Goyal et al. 2017). Default: <see cref="Batch"/>.</summary>
    public int? ReferenceBatch { get; init; }
    /// <summary>Cap on the scaled rate (linear scaling holds only up to the largest stable rate; Goyal et al.
    /// 2017 §5, Shallue et al. 2019 §4.7); null: no cap.</summary>
    public double? MaxLearningRate { get; init; }
    /// <summary>Updates over which the rate rises linearly from LearningRate to the scaled rate.</summary>
    public int WarmupUpdates { get; init; }
    /// <summary>Parameter server: divide a gradient's rate by its staleness (Zhang et al. 2016).</summary>
    public bool StalenessAwareRate { get; init; }
    /// <summary>Stop after this many model updates, counted in worker steps for local SGD (&gt;= 1).</summary>
    public required long MaxUpdates { get; init; }
    /// <summary>Evaluate on the held-out set every this many updates (&gt;= 1), and at the start.</summary>
    public int EvaluateEvery { get; init; } = 10;
    /// <summary>Stop at the first evaluation with at least this accuracy; null: no accuracy target.</summary>
    public double? TargetAccuracy { get; init; }
    /// <summary>Stop at the first evaluation with at most this held-out loss; null: no loss target.</summary>
    public double? TargetLoss { get; init; }
    public LoopTiming Timing { get; init; } = new();
    /// <summary>Seeds initialisation ("init"), data order ("data"), shards and stragglers (named streams).</summary>
    public ulong Seed { get; init; } = 1;

    public int RateBatch => ReferenceBatch ?? Batch;

    /// <exception cref="ArgumentOutOfRangeException">an impossible setting, named.</exception>
    public void Validate()
    {
        if (Workers < 1) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "workers must be >= 1");
        if (Batch < 1) throw new ArgumentOutOfRangeException(nameof(Batch), Batch, "batch must be >= 1");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be a positive number");
        if (ReferenceBatch is < 1) throw new ArgumentOutOfRangeException(nameof(ReferenceBatch), ReferenceBatch, "reference batch must be >= 1");
        if (MaxLearningRate is { } cap && !(cap > 0)) throw new ArgumentOutOfRangeException(nameof(MaxLearningRate), cap, "max learning rate must be > 0");
        if (WarmupUpdates < 0) throw new ArgumentOutOfRangeException(nameof(WarmupUpdates), WarmupUpdates, "warm-up must be >= 0");
        if (MaxUpdates < 1) throw new ArgumentOutOfRangeException(nameof(MaxUpdates), MaxUpdates, "max updates must be >= 1");
        if (EvaluateEvery < 1) throw new ArgumentOutOfRangeException(nameof(EvaluateEvery), EvaluateEvery, "evaluate_every must be >= 1");
        if (TargetAccuracy is { } a && !(a > 0 && a <= 1)) throw new ArgumentOutOfRangeException(nameof(TargetAccuracy), a, "target accuracy must be in (0, 1]");
        if (TargetLoss is { } l && !(l > 0)) throw new ArgumentOutOfRangeException(nameof(TargetLoss), l, "target loss must be > 0");
        Timing.Validate();
    }
}
