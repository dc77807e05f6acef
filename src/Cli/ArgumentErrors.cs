using System.Globalization;
using System.Text.RegularExpressions;

namespace Sim.Cli;

/// <summary>
/// Rewrites the command-line parser's type errors in the user's terms: "expected a whole number in
/// [0, 18446744073709551615], got 'abc'" instead of a .NET type name such as
/// <c>System.Nullable`1[System.UInt64]</c>.
/// </summary>
public static partial class ArgumentErrors
{
    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?<what>option|argument) '(?<name>[^']*)' as expected type '(?<type>[^']*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex TypeError();

    public static string Explain(string message)
    {
        var m = TypeError().Match(message);
        if (!m.Success) return message;
        string type = m.Groups["type"].Value;
        string expected =
            type.Contains("UInt64") ? $"a whole number in [0, {ulong.MaxValue.ToString(CultureInfo.InvariantCulture)}]" :
            type.Contains("Int64") ? $"a whole number in [{long.MinValue.ToString(CultureInfo.InvariantCulture)}, {long.MaxValue.ToString(CultureInfo.InvariantCulture)}]" :
            type.Contains("UInt32") ? $"a whole number in [0, {uint.MaxValue.ToString(CultureInfo.InvariantCulture)}]" :
            type.Contains("Int32") ? $"a whole number in [{int.MinValue.ToString(CultureInfo.InvariantCulture)}, {int.MaxValue.ToString(CultureInfo.InvariantCulture)}]" :
            type.Contains("Double") || type.Contains("Single") ? "a number" :
            type.Contains("Boolean") ? "true or false" :
            "a valid value";
        return $"{m.Groups["name"].Value}: expected {expected}, got '{m.Groups["value"].Value}'";
    }
}
