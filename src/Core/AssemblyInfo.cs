namespace Sim.Core;
