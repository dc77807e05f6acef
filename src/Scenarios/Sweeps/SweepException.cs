namespace Sim.Scenarios.Sweeps;

/// <summary>
/// A sweep could not be completed as asked: a results folder in the wrong state (missing or
/// duplicated runs, results of another sweep) or a run that failed. Like a stock-take discrepancy
/// report, the message names the items concerned.
/// </summary>
public sealed class SweepException : Exception
{
    public SweepException(string message) : base(message) { }
    public SweepException(string message, Exception inner) : base(message, inner) { }
}
