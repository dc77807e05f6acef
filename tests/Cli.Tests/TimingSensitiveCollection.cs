namespace Sim.Cli.Tests;

/// <summary>
/// Tests that time real programs (PyTorch DDP) run alone, never beside other tests of this assembly:
/// on a 2-core machine a concurrent test would steal the cores being measured.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveCollection
{
    public const string Name = "timing-sensitive (runs alone)";
}
