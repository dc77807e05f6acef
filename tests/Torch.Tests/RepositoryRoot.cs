namespace Sim.Torch.Tests;

internal static class RepositoryRoot
{
    /// <summary>The folder holding Sim.sln, found upwards from the test assembly.</summary>
    public static string Path
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(System.IO.Path.Combine(d.FullName, "Sim.sln"))) return d.FullName;
            throw new DirectoryNotFoundException("Sim.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
