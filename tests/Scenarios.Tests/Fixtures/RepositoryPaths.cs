namespace Sim.Scenarios.Tests.Fixtures;

/// <summary>Finds the repository checkout from a test's output folder (for committed docs and assets).</summary>
public static class RepositoryPaths
{
    public static string Root() => Sim.Tests.Shared.RepositoryRoot.Path;

    public static string Docs(string file) => Path.Combine(Root(), "docs", file);
}
