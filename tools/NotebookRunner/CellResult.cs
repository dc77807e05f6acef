using System.Text.Json.Nodes;

namespace Sim.NotebookRunner;

/// <summary>What one code cell produced, in the order a reader sees it: printed text, displayed
/// values, the cell's own value, or the error that stopped it.</summary>
public sealed record CellResult(int CellIndex, int ExecutionCount, IReadOnlyList<JsonObject> Outputs, string? Error, TimeSpan Elapsed)
{
    public bool Failed => Error is not null;

    /// <summary>MIME types of every rich output (display_data and execute_result).</summary>
    public IEnumerable<string> MimeTypes =>
        Outputs.Where(o => o["data"] is JsonObject).SelectMany(o => o["data"]!.AsObject().Select(kv => kv.Key));
}
