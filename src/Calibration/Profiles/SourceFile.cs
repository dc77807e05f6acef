namespace Sim.Calibration.Profiles;

/// <summary>
/// One input file a profile was fitted from, like a bibliography entry: name, kind and how many
/// records it held, so a profile can be traced back to its measurements.
/// </summary>
public sealed record SourceFile(string Name, string Kind, long Records);
