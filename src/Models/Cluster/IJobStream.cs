namespace Sim.Models.Cluster;

/// <summary>
/// Jobs in order of arrival, produced one at a time so that a month of submissions never has to sit
/// in memory before it is needed. Contract: arrivals never decrease; ids are unique; a stream may be
/// endless (synthetic streams without a count or horizon), in which case the simulation's stop rule
/// must end the run.
/// </summary>
public interface IJobStream
{
    /// <summary>The next job, or false when the stream has ended.</summary>
    bool TryNext(out ClusterJob job);
}

/// <summary>A fixed list of jobs (a trace read into memory, a hand-built test case), sorted by arrival
/// and then id on construction.</summary>
public sealed class ListJobStream : IJobStream
{
    private readonly ClusterJob[] _jobs;
    private int _next;

    public ListJobStream(IEnumerable<ClusterJob> jobs)
    {
        _jobs = jobs.OrderBy(j => j.Arrival).ThenBy(j => j.Id).ToArray();
        var seen = new HashSet<int>();
        foreach (var j in _jobs)
        {
            j.Validate();
            if (!seen.Add(j.Id)) throw new ArgumentException($"job id {j.Id} appears twice");
        }
    }

    public int Count => _jobs.Length;

    public bool TryNext(out ClusterJob job)
    {
        if (_next < _jobs.Length) { job = _jobs[_next++]; return true; }
        job = null!;
        return false;
    }
}
