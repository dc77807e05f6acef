namespace Sim.Scenarios;
