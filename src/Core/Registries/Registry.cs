namespace Sim.Core.Registries;

/// <summary>Something registered by name: a training mode, a network backend, a scheduler...</summary>
public interface IRegistered
{
    /// <summary>The name users write in scenario files (lower case, underscores), unique in its registry.</summary>
    string Name { get; }

    /// <summary>One or two sentences for the generated schema reference and results metadata.</summary>
    string Description { get; }
}

/// <summary>
/// The variants of one kind (training modes, network backends, and the kinds to come: schedulers,
/// aggregators, attacks, compute models), registered by name with a description, in the style of
/// SimGrid's model registries. Everything that needs the list of variants - the schema's enum values,
/// the scenario builder, the runner, results metadata, the docs - reads it here, so adding a variant
/// means adding one entry and nothing else.
/// </summary>
/// <remarks>Names keep their registration order (the order docs and enums show). A registry is filled
/// once, in its owner's static initialiser, and read-only afterwards.</remarks>
public sealed class Registry<T> where T : IRegistered
{
    private readonly List<T> _entries = new();
    private readonly Dictionary<string, T> _byName = new(StringComparer.Ordinal);

    /// <param name="kind">What the entries are, for messages ("training mode").</param>
    public Registry(string kind, params T[] entries)
    {
        Kind = kind;
        foreach (var e in entries) Register(e);
    }

    /// <summary>What the entries are, for messages ("training mode").</summary>
    public string Kind { get; }

    public IReadOnlyList<T> Entries => _entries;

    public IReadOnlyList<string> Names => _entries.Select(e => e.Name).ToArray();

    /// <summary>Adds <paramref name="entry"/>; throws <see cref="ArgumentException"/> if its name is
    /// empty or already taken (two variants under one name would make scenario files ambiguous).</summary>
    public void Register(T entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrWhiteSpace(entry.Name)) throw new ArgumentException($"a {Kind} needs a name");
        if (!_byName.TryAdd(entry.Name, entry)) throw new ArgumentException($"{Kind} '{entry.Name}' is registered twice");
        _entries.Add(entry);
    }

    public bool TryGet(string name, out T entry) => _byName.TryGetValue(name, out entry!);

    /// <summary>The entry named <paramref name="name"/>; <see cref="KeyNotFoundException"/> naming the
    /// known ones otherwise. Scenario files are checked against <see cref="Names"/> before this is
    /// called, so a miss here is a program error, not bad input.</summary>
    public T Get(string name) =>
        _byName.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"no {Kind} named '{name}'; known: {string.Join(", ", Names)}");
}
