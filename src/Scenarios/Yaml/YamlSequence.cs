using System.Text;

namespace Sim.Scenarios.Yaml;

/// <summary>
/// An ordered list of nodes (<c>- a</c> or <c>[a, b]</c>), like a numbered list in a document.
/// </summary>
public sealed class YamlSequence : YamlNode
{
    public IReadOnlyList<YamlNode> Items { get; }

    public YamlSequence(IReadOnlyList<YamlNode> items, SourceLocation location) : base(location) => Items = items;

    public override string Describe() => $"a list of {Items.Count} item{(Items.Count == 1 ? "" : "s")}";

    public override void WriteCanonical(StringBuilder output)
    {
        output.Append('[');
        for (int i = 0; i < Items.Count; i++)
        {
            if (i > 0) output.Append(", ");
            Items[i].WriteCanonical(output);
        }
        output.Append(']');
    }
}
