namespace Sim.Calibration.Tests;

/// <summary>
/// Finds the repository's committed data (traces/) from the test's output folder, like finding
/// the library of a building by walking up the stairs until the sign says "Sim.sln".
/// </summary>
public static class RepositoryPaths
{
    public static string Root => Sim.Tests.Shared.RepositoryRoot.Path;

    public static string CpuTraces => Path.Combine(Root, "traces", "cpu-amd-epyc");

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
