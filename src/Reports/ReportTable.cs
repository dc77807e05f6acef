namespace Sim.Reports;

/// <summary>
/// A titled grid of values, like a table in a lab report: named columns and rows of cells. Cells are
/// numbers (double, long, int) or text (null for "no value"); numbers stay numbers until a writer
/// formats them, so CSV, HTML and terminal output agree and CSV keeps full precision.
/// </summary>
public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    /// <summary>Checks the shape and cell types, so a malformed table fails where it is built.</summary>
    public ReportTable Validate()
    {
        if (Columns.Count == 0) throw new ArgumentException($"table '{Title}' has no columns");
        for (int r = 0; r < Rows.Count; r++)
        {
            if (Rows[r].Count != Columns.Count)
                throw new ArgumentException($"table '{Title}' row {r} has {Rows[r].Count} cells, expected {Columns.Count}");
            foreach (var cell in Rows[r])
                if (cell is not (null or string or double or long or int))
                    throw new ArgumentException($"table '{Title}' row {r} holds a {cell.GetType().Name}; cells are text or numbers");
        }
        return this;
    }

    /// <summary>A two-column table from key-value pairs (for example a run summary).</summary>
    public static ReportTable FromPairs(string title, IEnumerable<KeyValuePair<string, object?>> pairs) =>
        new(title, ["name", "value"], pairs.Select(p => (IReadOnlyList<object?>)[p.Key, p.Value]).ToList());
}
