namespace Sim.Models.Training;

/// <summary>
/// The books of a synchronous training job that can fail: finished iterations and their compute, wait
/// and exposed-communication seconds are pending until a checkpoint (or, without checkpoints, the step
/// itself) commits them; a failure discards everything pending. Only committed work reaches the result,
/// so lost work never counts as progress.
/// </summary>
internal sealed class IterationLedger
{
    private readonly List<double> _times = new(), _pendingTimes = new();
    // The mean worker's busy fraction of each iteration, in the same order as the times.
    private readonly List<double> _busy = new(), _pendingBusy = new();
    private double _pendingCompute, _pendingExposed, _pendingWait;

    /// <summary>Committed iteration durations, in completion order.</summary>
    public IReadOnlyList<double> IterationTimes => _times;
    public IReadOnlyList<double> BusyFractions => _busy;
    /// <summary>Committed seconds the mean worker computed (optimizer included).</summary>
    public double Compute { get; private set; }
    /// <summary>Committed seconds of communication nobody's compute hid.</summary>
    public double Exposed { get; private set; }
    /// <summary>Committed seconds the mean worker waited for the slowest one.</summary>
    public double Wait { get; private set; }

    /// <summary>Records <paramref name="steps"/> iterations that together took <paramref name="took"/>
    /// seconds, split into the mean worker's compute, its wait and the exposed communication.</summary>
    public void Record(int steps, double took, double compute, double wait, double exposed)
    {
        _pendingCompute += compute;
        _pendingWait += wait;
        _pendingExposed += exposed;
        for (int s = 0; s < steps; s++)
        {
            _pendingTimes.Add(took / steps);
            _pendingBusy.Add(took > 0 ? compute / took : 1);
        }
    }

    /// <summary>Makes everything pending count (a checkpoint completed, or the job ended).</summary>
    public void Commit()
    {
        _times.AddRange(_pendingTimes);
        _pendingTimes.Clear();
        _busy.AddRange(_pendingBusy);
        _pendingBusy.Clear();
        Compute += _pendingCompute; Exposed += _pendingExposed; Wait += _pendingWait;
        _pendingCompute = _pendingExposed = _pendingWait = 0;
    }

    /// <summary>Forgets everything pending (a failure lost it).</summary>
    public void Discard()
    {
        _pendingTimes.Clear();
        _pendingBusy.Clear();
        _pendingCompute = _pendingExposed = _pendingWait = 0;
    }
}
