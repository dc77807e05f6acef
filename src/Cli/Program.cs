return Sim.Cli.SimCommandLine.Run(args);
