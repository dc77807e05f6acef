namespace Sim.Reports;
