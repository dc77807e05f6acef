namespace Sim.Core;

/// <summary>
/// A ticket at a service counter: the event fires when the ticket holder is served (granted a unit of
/// the resource). Hand the ticket back with <see cref="Resource.Release"/>, whether or not it was
/// served yet; disposing it does the same, so <c>using var req = res.Request();</c> works in processes.
/// </summary>
public sealed class Request : Event, IDisposable
{
    internal Request(Resource resource, int priority, bool preempt, long sequence, Process? owner) : base(resource.Sim)
    {
        Resource = resource;
        Priority = priority;
        Preempt = preempt;
        Sequence = sequence;
        Owner = owner;
    }

    public Resource Resource { get; }
    /// <summary>Lower numbers are served first.</summary>
    public int Priority { get; }
    /// <summary>Whether this request may evict a user of lower priority (preemptive resources only).</summary>
    public bool Preempt { get; }
    /// <summary>The process that asked, which is interrupted if the request is preempted.</summary>
    public Process? Owner { get; }
    /// <summary>When the request was granted (NaN while waiting).</summary>
    public double GrantedAt { get; internal set; } = double.NaN;

    internal long Sequence { get; }
    internal int UserIndex = -1;
    internal bool Cancelled;

    public void Dispose() => Resource.Release(this);
}

/// <summary>The interrupt cause a preempted user sees: who took the resource, and since when the
/// victim had held it.</summary>
public sealed record Preempted(Request By, double UsageSince, Resource Resource);
