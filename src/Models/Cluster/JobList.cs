namespace Sim.Models.Cluster;

/// <summary>A fixed list of jobs (a trace read into memory, a hand-built test case), sorted by arrival
/// and then id on construction.</summary>
public sealed class JobList : IJobSource
{
    private readonly ClusterJob[] _jobs;
    private int _next;

    public JobList(IEnumerable<ClusterJob> jobs)
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
