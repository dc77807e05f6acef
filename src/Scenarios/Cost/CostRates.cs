namespace Sim.Scenarios.Cost;

/// <summary>
/// Per-unit costs behind <see cref="RunCost"/> estimates. Every figure was measured with
/// <c>/usr/bin/time -f %M</c> (peak RSS) and the <c>kernel_events</c> metric of real `sim run`s on the
/// development machine kind (AMD EPYC, 2 shared cores, .NET 10 Release, 2026-12-07; noisy, single
/// runs), as differences between two sizes so that fixed costs cancel. They are deliberately
/// rounded up: an estimate should err on the high side.
/// </summary>
public static class CostRates
{
    /// <summary>Process baseline (runtime, assemblies, a small run and its report.html): 43-45 MB peak
    /// RSS without a report, 92-112 MB for the shipped small scenarios with one; rounded up.</summary>
    public const double BaselineBytes = 128e6;

    /// <summary>Kept iteration times and the iterations.csv rows built from them: 100,000 vs
    /// 1,000,000 iterations took +153 MB (170 B each).</summary>
    public const double BytesPerIteration = 200;

    /// <summary>report.html charts per iteration: +66 MB at 100,000 iterations with the report and
    /// timeline on.</summary>
    public const double ReportBytesPerIteration = 700;

    /// <summary>Federated client arrays and selection state: 100,000 vs 1,000,000 synthetic clients
    /// took +108 MB (120 B each).</summary>
    public const double BytesPerClient = 150;

    /// <summary>Rounds kept for rounds.csv and the report (a few numbers per round).</summary>
    public const double BytesPerRound = 300;

    /// <summary>Federated kernel events per second (about 15,000 events in under a second beyond
    /// start-up; taken low).</summary>
    public const double FederatedEventsPerSecond = 5e4;
}
