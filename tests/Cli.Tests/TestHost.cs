using System.CommandLine;
using Sim.Cli.Commands;
using Sim.Scenarios.Tests.Fixtures;

namespace Sim.Cli.Tests;

/// <summary>
/// Entry point that makes this test assembly a small `sim` stand-in: the real sweep and compare
/// commands wired to the M/M/1 test evaluator (the real scenario evaluator is wired in Program.cs).
/// Tests start it as a separate process (<c>dotnet Sim.Cli.Tests.dll sweep run ...</c>) to kill it
/// midway or to run it as Slurm array tasks. The test runner itself never calls Main.
/// </summary>
public static class TestHost
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("sim test host");
        root.Subcommands.Add(SweepCommand.Create(new MM1Evaluator()));
        root.Subcommands.Add(CompareCommand.Create());
        return root;
    }

    public static int Main(string[] args) => CreateRoot().Parse(args).Invoke();

    /// <summary>The command line that starts this assembly as a program.</summary>
    public static IReadOnlyList<string> Command()
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        return [dotnet, typeof(TestHost).Assembly.Location];
    }

    /// <summary>Runs the commands in this process, capturing what they print.</summary>
    public static (int ExitCode, string Output, string Error) InProcess(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CreateRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
