using Sim.Models.Network;
using Sim.Models.Training;
using Sim.Reports;

namespace Sim.Scenarios.Training.Modes;

/// <summary>
/// One replication as a mode built it: the job, the network that carries its traffic (null for
/// closed-form costs; the runner reports its link utilisation), and the mode's own tables, read after
/// the job finished.
/// </summary>
public sealed record ModeRun(ITrainingJob Job, INetwork? Network)
{
    /// <summary>Mode-specific tables of a finished run (pipeline: per-stage bubble and memory).</summary>
    public Func<IReadOnlyList<ReportTable>> Details { get; init; } = () => [];

    /// <summary>Whether the result reports the transfers <see cref="Network"/> carried. The parameter-server
    /// mode has never reported them (its summary says 0); kept so that shipped results stay identical.</summary>
    public bool ReportsTransferCount { get; init; } = true;
}
