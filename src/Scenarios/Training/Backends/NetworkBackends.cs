using Sim.Core.Registries;

namespace Sim.Scenarios.Training.Backends;

/// <summary>The network backends a training scenario can name, in the order the docs list them. The
/// schema's <c>network.backend</c> values and their description come from here.</summary>
public static class NetworkBackends
{
    public static Registry<INetworkBackend> Registry { get; } = new("network backend",
        new ClosedFormBackend(), new AnalyticalBackend(), new FlowBackend());

    public static INetworkBackend Get(string name) => Registry.Get(name);

    /// <summary>"name: description; ..." for the schema reference.</summary>
    public static string Describe() => string.Join("; ", Registry.Entries.Select(b => $"{b.Name}: {b.Description}")) + ".";
}
