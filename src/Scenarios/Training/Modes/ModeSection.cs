using Sim.Scenarios.Schema;

namespace Sim.Scenarios.Training.Modes;

/// <summary>A training mode's own top-level section of the scenario file: its key, its schema and the
/// one-line description the schema reference shows.</summary>
public sealed record ModeSection(string Key, MapSchema Schema, string Description);
