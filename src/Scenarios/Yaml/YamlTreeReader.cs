using System.Text;
using System.Text.RegularExpressions;
using Sim.Core.Files;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sim.Scenarios.Yaml;

/// <summary>
/// Turns YAML text into a <see cref="YamlNode"/> tree, the way a customs officer inspects a parcel
/// before it enters: syntax errors, duplicate keys, aliases, tags, multiple documents, oversized files
/// and absurd nesting are all refused with file/line/column, so an untrusted file can neither crash
/// the process nor exhaust its memory (aliases are refused outright, which rules out "billion laughs").
/// </summary>
public static partial class YamlTreeReader
{
    /// <summary>Largest input accepted; real scenario and sweep files are a few kilobytes.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Deepest nesting accepted; real files nest fewer than ten levels.</summary>
    public const int MaxDepth = 64;

    /// <summary>Reads and parses a YAML file through <see cref="InputFile"/>: regular files only (a
    /// directory, FIFO or device is refused without blocking) and at most <see cref="MaxFileBytes"/>
    /// bytes actually read.</summary>
    /// <exception cref="ScenarioException">any problem, located at file:line:column.</exception>
    public static YamlNode ReadFile(string path)
    {
        string text;
        try { text = InputFile.ReadAllText(path, MaxFileBytes); }
        catch (InputFileException e) { throw Located(e); }
        catch (DecoderFallbackException e) { throw new ScenarioException(new ScenarioError(new SourceLocation(path, 1, 1), "", "not valid text: " + e.Message)); }
        return Parse(text, path);
    }

    /// <summary>An input-file problem as a located scenario error.</summary>
    public static ScenarioException Located(InputFileException e) =>
        new(new ScenarioError(new SourceLocation(e.FilePath, (int)Math.Min(e.Line, int.MaxValue), (int)Math.Min(e.Column, int.MaxValue)), "", e.Problem));

    public static YamlNode Parse(string text, string fileName)
    {
        if (text.Length > MaxFileBytes)
            throw new ScenarioException(new ScenarioError(new SourceLocation(fileName, 1, 1), "",
                $"expected at most {MaxFileBytes} characters, got {text.Length}"));
        var parser = new Parser(new StringReader(text));
        try
        {
            return ReadStream(parser, fileName);
        }
        catch (YamlException e)
        {
            throw new ScenarioException(new ScenarioError(new SourceLocation(fileName, (int)e.Start.Line, (int)e.Start.Column), "",
                "invalid YAML: " + StripPosition(e.Message)));
        }
        catch (InvalidOperationException)
        {
            // The parser gives up on some malformed input without a position; point at the last good spot.
            var mark = parser.Current?.End ?? Mark.Empty;
            throw new ScenarioException(new ScenarioError(new SourceLocation(fileName, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column)), "",
                "invalid YAML: unbalanced brackets, quotes or indentation after this point"));
        }
    }

    private static YamlNode ReadStream(IParser parser, string file)
    {
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out var end))
            throw new ScenarioException(new ScenarioError(Where(file, end.Start), "", "expected a YAML mapping, got an empty file"));
        parser.Consume<DocumentStart>();
        var root = ReadNode(parser, file, depth: 0);
        parser.Consume<DocumentEnd>();
        if (parser.Accept<DocumentStart>(out var second))
            throw new ScenarioException(new ScenarioError(Where(file, second.Start), "", "expected a single YAML document, got a second one ('---')"));
        parser.Consume<StreamEnd>();
        return root;
    }

    private static YamlNode ReadNode(IParser parser, string file, int depth)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of input");
        var location = Where(file, current.Start);
        if (depth > MaxDepth)
            throw new ScenarioException(new ScenarioError(location, "", $"expected nesting of at most {MaxDepth} levels"));
        if (current is AnchorAlias alias)
            throw new ScenarioException(new ScenarioError(location, "", $"aliases (*{alias.Value}) are not supported; write the value out"));
        if (current is NodeEvent { Tag.IsEmpty: false } tagged && !IsStandardTag(tagged.Tag.Value))
            throw new ScenarioException(new ScenarioError(location, "", $"tags ({tagged.Tag.Value}) are not supported"));

        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return new YamlScalar(scalar.Value, scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted, location);

            case SequenceStart:
            {
                parser.MoveNext();
                var items = new List<YamlNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                    items.Add(ReadNode(parser, file, depth + 1));
                return new YamlSequence(items, location);
            }

            case MappingStart:
            {
                parser.MoveNext();
                var entries = new List<YamlEntry>();
                var firstSeen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyLocation = Where(file, parser.Current!.Start);
                    var keyNode = ReadNode(parser, file, depth + 1);
                    if (keyNode is not YamlScalar key)
                        throw new ScenarioException(new ScenarioError(keyLocation, "", $"expected a plain key, got {keyNode.Describe()}"));
                    if (firstSeen.TryGetValue(key.Value, out var first))
                        throw new ScenarioException(new ScenarioError(keyLocation, "",
                            $"duplicate key '{key.Value}' (first defined at line {first.Line})"));
                    firstSeen.Add(key.Value, keyLocation);
                    entries.Add(new YamlEntry(key, ReadNode(parser, file, depth + 1)));
                }
                return new YamlMapping(entries, location);
            }

            default:
                throw new ScenarioException(new ScenarioError(location, "", $"unexpected YAML element {current.GetType().Name}"));
        }
    }

    private static bool IsStandardTag(string tag) => tag is "!" or "?" || tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal);

    private static SourceLocation Where(string file, Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();

    private static string StripPosition(string message) => PositionPrefix().Replace(message, "");
}
