using Sim.Core;
using Sim.Models.Faults;

namespace Sim.Models.Learning.Loop;

/// <summary>
/// The mechanics every strategy shares in one run: the event kernel and its named random streams, the
/// server's parameter versions, real gradient calls into the model, SGD updates at the scheduled
/// learning rate, held-out evaluations every few updates, the target check and the staleness histogram.
/// A strategy decides who computes what on which version and when; this class does the rest.
/// </summary>
/// <remarks>Not thread-safe; one run at a time. The gradient buffers it hands out are reused.</remarks>
public sealed class LoopRun
{
    private readonly List<CurvePoint> _curve = new();
    private readonly List<long> _staleness = new();
    private readonly LearningRateSchedule _schedule;
    private CurvePoint? _target;
    private long _examples;
    private long _gradientEvaluations;
    private long _lastPeriod;

    public LoopRun(LoopConfig config)
    {
        config.Validate();
        Config = config;
        Model = config.Model;
        Sim = new Simulation(config.Seed);
        Stragglers = new StragglerState(Sim, config.Timing.Stragglers, config.Workers);
        Versions = new ParameterVersions(Model.ParameterCount);
        Model.Initialise(Versions.Current, Core.Randomness.RandomStream.DeriveSeed(config.Seed, "learning.init"));
        Gradient = new float[Model.ParameterCount];
        _schedule = new LearningRateSchedule { BaseRate = config.LearningRate, BaseBatch = config.RateBatch, Batch = config.RateBatch, WarmupSteps = config.WarmupUpdates };
    }

    public LoopConfig Config { get; }
    public IGradientModel Model { get; }
    public Simulation Sim { get; }
    public StragglerState Stragglers { get; }
    public ParameterVersions Versions { get; }
    /// <summary>Scratch gradient buffer of the model's size.</summary>
    public float[] Gradient { get; }
    public long Updates => Versions.Version;
    /// <summary>Worker steps each model version stands for (local SGD: H local steps per averaging); the
    /// curve, the budget and the evaluation period count steps = updates × this.</summary>
    public int StepsPerUpdate { get; set; } = 1;
    public long Steps => Updates * StepsPerUpdate;
    /// <summary>True once the target was met or the update budget spent: strategies stop scheduling work.</summary>
    public bool Stopped { get; private set; }

    /// <summary>A worker's compute seconds for a step of <paramref name="batch"/> examples starting at <paramref name="now"/>.</summary>
    public double StepSeconds(int worker, int batch, double now) => Config.Timing.BaseStepSeconds(batch) * Stragglers.Multiplier(worker, now);

    /// <summary>Real gradient of the model at <paramref name="parameters"/> over <paramref name="batch"/>.</summary>
    public double ComputeGradient(ReadOnlySpan<float> parameters, ReadOnlySpan<int> batch, Span<float> into)
    {
        _gradientEvaluations++;
        _examples += batch.Length;
        return Model.Gradient(parameters, batch, into);
    }

    /// <summary>Real gradient at <paramref name="parameters"/> over <paramref name="batch"/> under the given
    /// (poisoned) labels instead of the data set's own (label flipping, issue #18); counted like any other.</summary>
    public double ComputePoisonedGradient(Sim.Models.Dependability.ILabelledGradientModel model, ReadOnlySpan<float> parameters, ReadOnlySpan<int> batch, ReadOnlySpan<int> labels, Span<float> into)
    {
        _gradientEvaluations++;
        _examples += batch.Length;
        return model.Gradient(parameters, batch, labels, into);
    }

    /// <summary>The learning rate of the next update, which carries <paramref name="examples"/> examples:
    /// linear scaling from the reference batch, after linear warm-up.</summary>
    public double RateFor(int examples) => RateFor(examples, Steps);

    /// <summary>The learning rate of step <paramref name="step"/> carrying <paramref name="examples"/> examples.</summary>
    public double RateFor(int examples, long step)
    {
        double rate = (_schedule with { Batch = examples }).Rate(step);
        return Config.MaxLearningRate is double cap ? Math.Min(rate, cap) : rate;
    }

    /// <summary>Records that an applied gradient was <paramref name="staleness"/> versions old.</summary>
    public void CountStaleness(long staleness)
    {
        while (_staleness.Count <= staleness) _staleness.Add(0);
        _staleness[(int)staleness]++;
    }

    /// <summary>current -= rate × direction, as a new version.</summary>
    public void ApplyDescent(ReadOnlySpan<float> direction, double rate)
    {
        var x = Versions.Current;
        float r = (float)rate;
        for (int i = 0; i < x.Length; i++) x[i] -= r * direction[i];
        Versions.Advance();
    }

    /// <summary>Replaces the current parameters (model averaging) as a new version.</summary>
    public void Replace(ReadOnlySpan<float> parameters)
    {
        parameters.CopyTo(Versions.Current);
        Versions.Advance();
    }

    /// <summary>Evaluates at the start of the run.</summary>
    public void Begin() => Record(0);

    /// <summary>After an update applied at simulated <paramref name="now"/>: evaluates every
    /// EvaluateEvery updates, and stops at the target or the update budget.</summary>
    public void AfterUpdate(double now)
    {
        if (Stopped) return;
        bool budget = Steps >= Config.MaxUpdates;
        long period = Steps / Config.EvaluateEvery;
        if (period != _lastPeriod || budget) Record(now);
        _lastPeriod = period;
        if (budget) Stopped = true;
    }

    private void Record(double now)
    {
        var e = Model.Evaluate(Versions.Current);
        var point = new CurvePoint(Steps, _examples, now, e.Loss, e.Accuracy);
        _curve.Add(point);
        bool met = (Config.TargetAccuracy is { } a && e.Accuracy >= a) || (Config.TargetLoss is { } l && e.Loss <= l);
        if (met && _target is null)
        {
            _target = point;
            Stopped = true;
        }
    }

    public LoopOutcome Finish(string strategy, double now) => new()
    {
        Strategy = strategy, Curve = _curve.ToArray(), Target = _target, Updates = Steps, SimulatedSeconds = now,
        GradientEvaluations = _gradientEvaluations, StalenessHistogram = _staleness.ToArray(),
        PeakLiveSnapshots = Versions.PeakLiveSnapshots, SnapshotBytes = Versions.SnapshotBytes, Seed = Config.Seed,
        FinalParameters = (float[])Versions.Current.Clone(),
    };
}
