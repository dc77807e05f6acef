using System.CommandLine;
using Sim.Cli.Commands;
using Sim.Scenarios.Training;

namespace Sim.Cli;

/// <summary>The <c>sim</c> command tree, built in one place so that the program and the tests run
/// exactly the same commands.</summary>
public static class SimCommandLine
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Sim: a discrete-event simulator of distributed deep-learning training");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(SweepCommand.Create(new TrainingSweepEvaluator()));
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(CollectiveCommand.Create());
        root.Subcommands.Add(CalibrateCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>Runs <paramref name="args"/> in this process, capturing what the commands print.</summary>
    public static (int ExitCode, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CreateRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
