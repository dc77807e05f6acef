namespace Sim.Notebooks.Tests;

/// <summary>Finds the repository (the folder holding Sim.sln) from the test's working folder.</summary>
internal static class RepositoryPaths
{
    public static string Root => Sim.Tests.Shared.RepositoryRoot.Path;

    public static string Notebooks => Path.Combine(Root, "notebooks");

    /// <summary>The library the notebooks load with #r.</summary>
    public static string NotebookLibrary => Path.Combine(Root, "src", "Notebooks", "bin", "Release", "net10.0", "Sim.Notebooks.dll");
}
