namespace Sim.Models;
