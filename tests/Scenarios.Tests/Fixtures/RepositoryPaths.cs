namespace Sim.Scenarios.Tests.Fixtures;

/// <summary>Finds the repository checkout from a test's output folder (for committed docs and assets).</summary>
public static class RepositoryPaths
{
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sim.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root (Sim.sln) not found above " + AppContext.BaseDirectory);
    }

    public static string Docs(string file) => Path.Combine(Root(), "docs", file);
}
