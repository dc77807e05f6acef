// This process is `sim` itself: the memory watchdog may stop it (a test host only gets a report).
Sim.Cli.MemoryWatchdog.ExitOnBreach = true;
return Sim.Cli.SimCommandLine.Run(args);
