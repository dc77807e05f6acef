namespace Sim.Cli.Tests;

/// <summary>
/// A test that needs a real Slurm cluster. Outside CI it is skipped, with the reason, when Slurm can
/// be neither found nor installed; under CI=true it always runs, so a missing Slurm fails the build.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (!LocalSlurmCluster.UnderCi && LocalSlurmCluster.WhyUnavailable() is { } reason)
            Skip = reason + "; under CI=true this test fails instead";
    }
}
