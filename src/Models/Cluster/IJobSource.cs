namespace Sim.Models.Cluster;

/// <summary>
/// Jobs in order of arrival, produced one at a time so that a month of submissions never has to sit
/// in memory before it is needed. Contract: arrivals never decrease; ids are unique; a stream may be
/// endless (synthetic streams without a count or horizon), in which case the simulation's stop rule
/// must end the run.
/// </summary>
public interface IJobSource
{
    /// <summary>The next job, or false when the stream has ended.</summary>
    bool TryNext(out ClusterJob job);
}
