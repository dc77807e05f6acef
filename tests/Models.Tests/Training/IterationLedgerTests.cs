using Sim.Models.Training;

namespace Sim.Models.Tests.Training;

/// <summary>The books of a failing job: only committed work counts, a failure forgets exactly what is
/// pending, and a round of H steps is H iterations of equal length.</summary>
public sealed class IterationLedgerTests
{
    [Fact]
    public void OnlyCommittedWorkCountsAndADiscardForgetsExactlyThePendingWork()
    {
        var ledger = new IterationLedger();
        ledger.Record(steps: 1, took: 2.0, compute: 1.5, wait: 0.25, exposed: 0.25);
        Assert.Empty(ledger.IterationTimes);
        ledger.Commit();
        ledger.Record(steps: 1, took: 3.0, compute: 2.0, wait: 0.5, exposed: 0.5);
        ledger.Discard();
        ledger.Commit();
        Assert.Equal([2.0], ledger.IterationTimes);
        Assert.Equal([0.75], ledger.BusyFractions);
        Assert.Equal((1.5, 0.25, 0.25), (ledger.Compute, ledger.Wait, ledger.Exposed));
    }

    [Fact]
    public void ARoundOfHStepsIsHIterationsOfEqualLengthAndConservesTime()
    {
        var ledger = new IterationLedger();
        ledger.Record(steps: 4, took: 10.0, compute: 7.0, wait: 1.0, exposed: 2.0);
        ledger.Commit();
        Assert.Equal([2.5, 2.5, 2.5, 2.5], ledger.IterationTimes);
        Assert.All(ledger.BusyFractions, f => Assert.Equal(0.7, f, 1e-15));
        // Conservation: compute + wait + exposed is the time the round took.
        Assert.Equal(ledger.IterationTimes.Sum(), ledger.Compute + ledger.Wait + ledger.Exposed, 1e-12);
    }

    [Fact]
    public void AnInstantRoundCountsAsFullyBusy()
    {
        var ledger = new IterationLedger();
        ledger.Record(steps: 1, took: 0, compute: 0, wait: 0, exposed: 0);
        ledger.Commit();
        Assert.Equal([1.0], ledger.BusyFractions);
    }
}
