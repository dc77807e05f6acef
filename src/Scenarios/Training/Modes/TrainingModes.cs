using Sim.Core.Registries;

namespace Sim.Scenarios.Training.Modes;

/// <summary>The training modes a scenario can name, in the order the docs list them. The schema's
/// <c>training.mode</c> values, the mode sections it accepts, and the cross-key rules all come from here.</summary>
public static class TrainingModes
{
    public static Registry<ITrainingMode> Registry { get; } = new("training mode", Discover());

    /// <summary>Every class in this assembly marked <see cref="TrainingModeAttribute"/>, in its declared order:
    /// a new mode registers itself by carrying the attribute, with no list to edit.</summary>
    private static ITrainingMode[] Discover() =>
        typeof(TrainingModes).Assembly.GetTypes()
            .Select(t => (Type: t, Mark: (TrainingModeAttribute?)Attribute.GetCustomAttribute(t, typeof(TrainingModeAttribute), inherit: false)))
            .Where(x => x.Mark is not null)
            .OrderBy(x => x.Mark!.Order).ThenBy(x => x.Type.Name, StringComparer.Ordinal)
            .Select(x => x.Type.IsAbstract || !typeof(ITrainingMode).IsAssignableFrom(x.Type) || x.Type.GetConstructor(Type.EmptyTypes) is null
                ? throw new InvalidOperationException($"{x.Type.Name} carries [TrainingMode] but is not a concrete ITrainingMode with a parameterless constructor (a bug)")
                : (ITrainingMode)Activator.CreateInstance(x.Type)!)
            .ToArray();

    public static ITrainingMode Get(string name) => Registry.Get(name);

    /// <summary>"Training strategy: name: description; ..." for the schema reference, naming the
    /// modes that need a backend which simulates transfers.</summary>
    public static string Describe() =>
        "Training strategy. " + string.Join("; ", Registry.Entries.Select(m => $"{m.Name}: {m.Description}" + (m.NeedsTransfers ? " (network.backend analytical or flow)" : ""))) + ".";

    /// <summary>The names of the modes that satisfy <paramref name="rule"/>, as English ("a, b and c").</summary>
    public static string NamesWhere(Func<ITrainingMode, bool> rule)
    {
        var names = Registry.Entries.Where(rule).Select(m => m.Name).ToList();
        return names.Count <= 1 ? string.Join("", names) : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
    }
}
