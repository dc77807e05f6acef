using Sim.Core;
using Sim.Models.Dependability;
using Sim.Models.Network;
using Sim.Models.Training;
using Sim.Scenarios.Training;
using Sim.Scenarios.Training.Modes;

namespace Sim.Scenarios.Dependability;

/// <summary>
/// A data-parallel scenario with a <c>coding:</c> section (issue #18): every worker computes load x its
/// micro-batch (<see cref="LoadScaledCompute"/>), the step waits for the fastest n - s workers (the straggler
/// model's order statistic, as for backup workers, but the gradient stays exact), and instead of an
/// all-reduce the survivors send their coded messages to a decoding master on a star (each worker with its
/// share of the preset's NICs, the master with one NIC, as in parameter-server mode), which decodes for the
/// time <see cref="DecodingCostModel.Measured"/> gives and sends the sum back.
/// </summary>
public static class CodedSync
{
    /// <summary>Null when the scenario has no coding section.</summary>
    public static ModeRun? Build(TrainingScenario s, Simulation sim)
    {
        if (s.Dependability?.Coding is not { } coding) return null;
        int n = s.Workers;
        var network = AggregationStar.Build(s, sim);
        var costs = DecodingCostModel.Measured;
        var gather = new RobustAggregationSync(network, Enumerable.Range(0, coding.Survivors).ToArray(), n,
            d => costs.Seconds(coding, (long)Math.Ceiling(d)), s.DataParallel.GradientBytesPerParameter,
            $"{coding.Describe()}: {coding.Survivors} of {n} messages to a decoding master (measured decoding cost)");
        var config = s.DataParallel with { BackupWorkers = coding.Ignored };
        var job = new SyncDataParallel(sim, config, new LoadScaledCompute(s.Compute, coding.Load), new CodedGatherSync(gather, n));
        return new ModeRun(job, network);
    }
}
