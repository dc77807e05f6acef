using System.Text;

namespace Sim.Scenarios.Schema;

/// <summary>
/// A dotted address into a YAML tree such as <c>cluster.links[2].bandwidth</c>, like a street address
/// (city, street, house number). Used by typed accessors, by sweep overrides and in error messages.
/// </summary>
public sealed class KeyPath
{
    /// <summary>One step: a mapping key, or a list index when <see cref="Key"/> is null.</summary>
    public readonly record struct Segment(string? Key, int Index)
    {
        public bool IsIndex => Key is null;
        public override string ToString() => IsIndex ? $"[{Index}]" : Key!;
    }

    public IReadOnlyList<Segment> Segments { get; }

    private KeyPath(IReadOnlyList<Segment> segments) => Segments = segments;

    public static readonly KeyPath Root = new(Array.Empty<Segment>());

    /// <summary>Parses <c>a.b[2].c</c>; returns null and a reason for malformed text.</summary>
    public static KeyPath? TryParse(string text, out string? problem)
    {
        problem = null;
        var segments = new List<Segment>();
        if (string.IsNullOrWhiteSpace(text)) { problem = "expected a key path like 'a.b[2].c', got an empty path"; return null; }
        foreach (var part in text.Split('.'))
        {
            int bracket = part.IndexOf('[');
            string key = bracket < 0 ? part : part[..bracket];
            if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c == ']'))
            {
                problem = $"expected a key path like 'a.b[2].c', got '{text}'";
                return null;
            }
            segments.Add(new Segment(key, 0));
            int rest = bracket;
            while (rest >= 0 && rest < part.Length)
            {
                int close = part.IndexOf(']', rest);
                if (part[rest] != '[' || close < 0 || !int.TryParse(part.AsSpan(rest + 1, close - rest - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
                {
                    problem = $"expected a key path like 'a.b[2].c', got '{text}'";
                    return null;
                }
                segments.Add(new Segment(null, index));
                rest = close + 1;
            }
        }
        return new KeyPath(segments);
    }

    public static KeyPath Parse(string text) =>
        TryParse(text, out var problem) ?? throw new ArgumentException(problem, nameof(text));

    public KeyPath Append(string key) => new(Segments.Append(new Segment(key, 0)).ToArray());

    public KeyPath Append(int index) => new(Segments.Append(new Segment(null, index)).ToArray());

    public override string ToString() => Format(Segments);

    public static string Format(IEnumerable<Segment> segments)
    {
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            if (!segment.IsIndex && text.Length > 0) text.Append('.');
            text.Append(segment);
        }
        return text.ToString();
    }

    /// <summary>Path text of a child key, for building error paths while walking a tree.</summary>
    public static string Child(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Child(string parent, int index) => $"{parent}[{index}]";
}
