namespace Sim.Models.Compute;

/// <summary>Which pass of training an operation belongs to.</summary>
public enum Phase { Forward, Backward }
