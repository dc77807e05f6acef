namespace Sim.Cli.Tests;

/// <summary>Finds files of the repository (shipped scenarios, traces) from the test's build folder.</summary>
public static class RepositoryPaths
{
    public static string Root => Sim.Tests.Shared.RepositoryRoot.Path;

    public static string Scenarios => Path.Combine(Root, "scenarios");
}
