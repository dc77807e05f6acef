namespace Sim.Scenarios.Training.Modes;

/// <summary>
/// Marks a class as a training mode that <see cref="TrainingModes"/> registers by itself: adding a mode is
/// one new file (the class with this attribute and a parameterless constructor) plus its tests.
/// <paramref name="order"/> fixes where the mode appears in the schema reference and error messages, so
/// the docs do not depend on reflection order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TrainingModeAttribute(int order) : Attribute
{
    /// <summary>Position in listings (ascending; ties broken by the mode's name).</summary>
    public int Order { get; } = order;
}
