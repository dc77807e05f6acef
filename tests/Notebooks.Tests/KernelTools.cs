namespace Sim.Notebooks.Tests;

/// <summary>
/// The notebook hosts users run, installed by test.sh as .NET tools into the repository's .tools/
/// folder (<c>dotnet tool install NAME --version V --tool-path .tools</c>): dotnet-repl 0.3.259
/// (headless "run all"), which hosts the same C# kernel as Polyglot with its own set of packages, and
/// Microsoft.dotnet-interactive 1.0.712001, the kernel process VS Code's Polyglot Notebooks and Jupyter run.
/// </summary>
internal static class KernelTools
{
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Folder => Path.Combine(RepositoryPaths.Root, ".tools");

    public static string DotnetRepl => Path.Combine(Folder, "dotnet-repl");

    public static string DotnetInteractive => Path.Combine(Folder, "dotnet-interactive");
}

/// <summary>
/// A test that needs dotnet-repl. Outside CI it is skipped, with the reason, when the tool is not
/// installed; under CI=true it always runs, so a missing tool fails the build.
/// </summary>
public sealed class DotnetReplFactAttribute : FactAttribute
{
    public DotnetReplFactAttribute()
    {
        if (!File.Exists(KernelTools.DotnetRepl) && !KernelTools.UnderCi)
            Skip = $"{KernelTools.DotnetRepl} is not installed (./test.sh installs it: dotnet tool install dotnet-repl --version 0.3.259 --tool-path .tools); under CI=true this test fails instead";
    }
}

/// <summary>A test that needs dotnet-interactive; skipped (with the reason) when it is missing, except under CI=true.</summary>
public sealed class DotnetInteractiveFactAttribute : FactAttribute
{
    public DotnetInteractiveFactAttribute()
    {
        if (!File.Exists(KernelTools.DotnetInteractive) && !KernelTools.UnderCi)
            Skip = $"{KernelTools.DotnetInteractive} is not installed (./test.sh installs it: dotnet tool install Microsoft.dotnet-interactive --version 1.0.712001 --tool-path .tools); under CI=true this test fails instead";
    }
}
