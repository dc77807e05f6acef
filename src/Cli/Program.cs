using System.CommandLine;
using Sim.Cli.Commands;

var root = new RootCommand("Sim: a discrete-event simulator of distributed deep-learning training");
root.Subcommands.Add(BenchCommand.Create());
return root.Parse(args).Invoke();
