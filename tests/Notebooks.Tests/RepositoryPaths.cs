namespace Sim.Notebooks.Tests;

/// <summary>Finds the repository (the folder holding Sim.sln) from the test's working folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Notebooks => Path.Combine(Root, "notebooks");

    /// <summary>The library the notebooks load with #r.</summary>
    public static string NotebookLibrary => Path.Combine(Root, "src", "Notebooks", "bin", "Release", "net10.0", "Sim.Notebooks.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sim.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Sim.sln above {AppContext.BaseDirectory}");
    }
}
