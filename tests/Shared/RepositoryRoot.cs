namespace Sim.Tests.Shared;

/// <summary>The repository checkout (the folder holding Sim.sln), found by walking up from the test's
/// build folder; the one copy every test project compiles in (tests/Directory.Build.props).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary><paramref name="parts"/> below the repository root.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Sim.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Sim.sln above {AppContext.BaseDirectory}");
    }
}
