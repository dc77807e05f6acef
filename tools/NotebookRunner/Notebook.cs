using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sim.NotebookRunner;

/// <summary>
/// A Jupyter notebook file (nbformat 4) as Polyglot writes it, like a ring binder whose pages can be
/// taken out, annotated and put back: cells in order, each with its source lines and outputs. Every
/// field this class does not touch (metadata, attachments) is kept as it was.
/// </summary>
public sealed class Notebook
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        // Keep '<', '>' and '&' readable in committed HTML outputs; JSON strings stay valid.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly JsonObject _root;

    private Notebook(string path, JsonObject root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    public static Notebook Load(string path)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a notebook (invalid JSON at line {e.LineNumber + 1}: {e.Message})"); }
        if (root is not JsonObject obj || obj["cells"] is not JsonArray cells || obj["nbformat"] is not JsonValue format
            || !format.TryGetValue(out int version) || version != 4)
            throw new InvalidDataException($"{path}: expected an nbformat 4 notebook with a 'cells' list");
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell || cell["cell_type"] is not JsonValue kind || !kind.TryGetValue(out string? _))
                throw new InvalidDataException($"{path}: cells[{i}]: expected an object with a cell_type");
            bool textSource = cell["source"] is JsonValue text && text.TryGetValue(out string? _);
            bool lineSource = cell["source"] is JsonArray lines && lines.All(l => l is JsonValue v && v.TryGetValue(out string? _));
            if (!textSource && !lineSource)
                throw new InvalidDataException($"{path}: cells[{i}].source: expected a string or a list of strings");
        }
        return new Notebook(System.IO.Path.GetFullPath(path), obj);
    }

    private JsonArray Cells => (JsonArray)_root["cells"]!;

    /// <summary>The code cells in order, with their position among all cells.</summary>
    public IReadOnlyList<(int Index, string Source)> CodeCells() =>
        Cells.Select((cell, i) => (cell, i))
            .Where(c => (string?)c.cell!["cell_type"] == "code")
            .Select(c => (c.i, SourceOf(c.cell!)))
            .ToList();

    /// <summary>True when every code cell carries an execution count (it was run before being saved).</summary>
    public bool HasBeenRun => Cells.Where(c => (string?)c!["cell_type"] == "code").All(c => c!["execution_count"] is JsonValue);

    private static string SourceOf(JsonNode cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue text => (string?)text ?? "",
        _ => "",
    };

    /// <summary>The kernel that produced the saved outputs (notebook metadata <c>sim.executed_by</c>), or null.</summary>
    public string? ExecutedBy
    {
        get => (string?)(_root["metadata"]?["sim"]?["executed_by"] as JsonValue);
        set
        {
            if (_root["metadata"] is not JsonObject metadata) _root["metadata"] = metadata = new JsonObject();
            metadata["sim"] = new JsonObject { ["executed_by"] = value };
        }
    }

    public void SetOutputs(int cellIndex, int executionCount, IEnumerable<JsonObject> outputs)
    {
        var cell = Cells[cellIndex]!.AsObject();
        cell["execution_count"] = executionCount;
        cell["outputs"] = new JsonArray(outputs.Cast<JsonNode?>().ToArray());
    }

    /// <summary>Writes to a temporary file and renames it, so an interrupted run never leaves half a notebook.</summary>
    public void Save()
    {
        string temp = Path + ".tmp";
        File.WriteAllText(temp, _root.ToJsonString(Json) + "\n", new UTF8Encoding(false));
        File.Move(temp, Path, overwrite: true);
    }

    /// <summary>Notebook text fields are lists of lines, each but the last ending in a newline.</summary>
    public static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { lines.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }
}
