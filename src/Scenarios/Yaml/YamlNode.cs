using System.Text;

namespace Sim.Scenarios.Yaml;

/// <summary>
/// An immutable YAML tree node that remembers where it was written, like a parcel that keeps its
/// sender's address: when a value is copied into another tree (a sweep override into a scenario),
/// errors about it still point at the file and line it came from.
/// </summary>
public abstract class YamlNode
{
    public SourceLocation Location { get; }

    protected YamlNode(SourceLocation location) => Location = location;

    /// <summary>Short human description used in "got ..." parts of error messages.</summary>
    public abstract string Describe();

    /// <summary>Canonical one-line flow rendering: equal trees give equal text (used for stable ids).</summary>
    public abstract void WriteCanonical(StringBuilder output);

    public string ToCanonicalString()
    {
        var text = new StringBuilder();
        WriteCanonical(text);
        return text.ToString();
    }
}
