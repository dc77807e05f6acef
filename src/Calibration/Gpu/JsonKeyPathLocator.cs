using System.Text.Json;

namespace Sim.Calibration.Gpu;

/// <summary>
/// Finds where a key path (<c>$.gemms[3].seconds</c>) stands in a JSON text, as a 1-based line and
/// column, so that an error found on the parsed document can point into the file. A path that is not
/// in the text (a missing key) falls back to its nearest enclosing value that is. Reads the text once
/// with <see cref="Utf8JsonReader"/>; never throws: a text it cannot read gives null.
/// </summary>
internal static class JsonKeyPathLocator
{
    public static (int Line, int Column)? Locate(ReadOnlySpan<byte> json, string keyPath)
    {
        for (string path = keyPath; path.Length > 0; path = Parent(path))
            if (Offset(json, path) is { } offset) return LineColumn(json, offset);
        return null;
    }

    /// <summary>The path one step up: "$.a[2].b" -> "$.a[2]" -> "$.a" -> "$" -> "".</summary>
    private static string Parent(string path)
    {
        int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut > 0 ? path[..cut] : "";
    }

    private static long? Offset(ReadOnlySpan<byte> json, string target)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        // One frame per open container: its path, the property being read (objects) or the index (arrays).
        var frames = new Stack<(string Path, bool IsArray, string? Property, int Index)>();
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray) { frames.Pop(); continue; }
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    var top = frames.Pop();
                    frames.Push(top with { Property = reader.GetString() });
                    continue;
                }
                string path;
                if (frames.Count == 0) path = "$";
                else
                {
                    var top = frames.Pop();
                    if (top.IsArray) { top = top with { Index = top.Index + 1 }; path = $"{top.Path}[{top.Index}]"; }
                    else path = $"{top.Path}.{top.Property}";
                    frames.Push(top);
                }
                if (path == target) return reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    frames.Push((path, reader.TokenType == JsonTokenType.StartArray, null, -1));
            }
        }
        catch (JsonException) { }
        catch (InvalidOperationException) { }
        return null;
    }

    private static (int Line, int Column) LineColumn(ReadOnlySpan<byte> json, long offset)
    {
        int line = 1, lineStart = 0;
        for (int i = 0; i < offset; i++)
            if (json[i] == (byte)'\n') { line++; lineStart = i + 1; }
        return (line, (int)(offset - lineStart) + 1);
    }
}
