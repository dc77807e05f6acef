using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// A name that becomes one folder name (results/NAME), like the label on one drawer: a single path
/// segment, so no name can reach outside the results folder. Refused: empty, "." and "..", a leading
/// dot (hidden, and the prefix of Sim's own temporaries), '/', '\', ':', control characters and
/// names over <see cref="MaxLength"/> characters.
/// </summary>
public sealed class FolderNameSchema : ScalarSchema
{
    public const int MaxLength = 128;

    public override string Expected => $"a name usable as one folder name (1 to {MaxLength} characters, no '/', '\\', ':' or control characters, not starting with '.')";

    public override string? TryConvert(YamlScalar scalar, out object value)
    {
        value = scalar.Value;
        string s = scalar.Value;
        if (s.Length == 0 || s.Length > MaxLength || s[0] == '.' || s.Trim().Length != s.Length) return "not a folder name";
        foreach (char c in s)
            if (c is '/' or '\\' or ':' || char.IsControl(c)) return "not a folder name";
        return null;
    }
}
