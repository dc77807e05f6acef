using Sim.Core.Registries;

namespace Sim.Scenarios.Training.Modes;

/// <summary>The training modes a scenario can name, in the order the docs list them. The schema's
/// <c>training.mode</c> values, the mode sections it accepts, and the cross-key rules all come from here.</summary>
public static class TrainingModes
{
    public static Registry<ITrainingMode> Registry { get; } = new("training mode",
        new DataParallelMode(), new LocalSgdMode(), new ParameterServerMode(), new PipelineMode());

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
