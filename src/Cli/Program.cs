using System.CommandLine;
using Sim.Cli.Commands;
using Sim.Scenarios.Training;

var root = new RootCommand("Sim: a discrete-event simulator of distributed deep-learning training");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(SweepCommand.Create(new TrainingSweepEvaluator()));
root.Subcommands.Add(CompareCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return root.Parse(args).Invoke();
