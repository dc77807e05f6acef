namespace Sim.Calibration;
