namespace Sim.Cli.Tests;

/// <summary>Finds files of the repository (shipped scenarios, traces) from the test's build folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Scenarios => Path.Combine(Root, "scenarios");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sim.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"Sim.sln not found above {AppContext.BaseDirectory}");
    }
}
