return Sim.Cli.SimCommandLine.CreateRoot().Parse(args).Invoke();
