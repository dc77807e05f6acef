using System.CommandLine;
using Sim.Cli.Commands;
using Sim.Scenarios;

namespace Sim.Cli;

/// <summary>The <c>sim</c> command tree, built in one place so that the program and the tests run
/// exactly the same commands.</summary>
public static class SimCommandLine
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Sim: a discrete-event simulator of distributed deep-learning training");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(SweepCommand.Create(new ScenarioKindSweepEvaluator()));
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(CollectiveCommand.Create());
        root.Subcommands.Add(CalibrateCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>. A command line that does not parse (unknown
    /// option, missing argument) is bad input like any other: its errors are printed and the exit code is 2.</summary>
    public static int Run(string[] args, InvocationConfiguration? configuration = null)
    {
        configuration ??= new InvocationConfiguration();
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) configuration.Error.WriteLine($"error: {e.Message}");
            configuration.Error.WriteLine("run 'sim --help' (or 'sim COMMAND --help') for usage");
            return Commands.ExitCodes.BadInput;
        }
        return parse.Invoke(configuration);
    }

    /// <summary>Runs <paramref name="args"/> in this process, capturing what the commands print.</summary>
    public static (int ExitCode, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Run(args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
