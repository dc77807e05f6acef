using System.Text;

namespace Sim.Scenarios.Yaml;

/// <summary>
/// A leaf value exactly as written, like a word copied verbatim from a form: it stays text until a
/// schema reads it, and quoted values are never read as numbers.
/// </summary>
public sealed class YamlScalar : YamlNode
{
    public string Value { get; }
    public bool IsQuoted { get; }

    public YamlScalar(string value, bool isQuoted, SourceLocation location) : base(location)
    {
        Value = value;
        IsQuoted = isQuoted;
    }

    /// <summary>True for an unquoted empty value, <c>~</c> or <c>null</c>: YAML's ways of writing "nothing".</summary>
    public bool IsNull => !IsQuoted && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    public override string Describe() =>
        IsNull ? "nothing (empty value)" : IsQuoted ? $"string \"{Clip(Value)}\"" : $"'{Clip(Value)}'";

    private static string Clip(string text) => text.Length <= 40 ? text : text[..37] + "...";

    public override void WriteCanonical(StringBuilder output)
    {
        if (IsQuoted) output.Append('"').Append(Value.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
        else output.Append(Value);
    }
}
