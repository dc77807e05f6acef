using System.Text;
using Sim.Reports;

namespace Sim.Notebooks;

/// <summary>
/// A <see cref="ReportTable"/> as boxed plain text, like a table typed on a typewriter: a centred
/// title, one column per field, numbers right-aligned, cells spelled by <see cref="CellFormat"/> as in
/// report.html and on the console. It uses nothing but the base library on purpose: notebook hosts
/// ship their own Spectre.Console (dotnet-repl 0.3.259 has 0.55), and the console renderer
/// (<see cref="TerminalTable"/>) bound to that one fails with MissingMethodException. Rows are never
/// wrapped, so a wide table stays one line per row in a notebook's text output.
/// </summary>
public static class PlainTextTable
{
    public static string Render(ReportTable table)
    {
        table = table.Validate();
        int columns = table.Columns.Count;
        var cells = table.Rows.Select(row => row.Select(CellFormat.Display).ToArray()).ToList();
        var width = new int[columns];
        var rightAligned = new bool[columns];
        for (int c = 0; c < columns; c++)
        {
            width[c] = Math.Max(table.Columns[c].Length, cells.Count == 0 ? 0 : cells.Max(r => r[c].Length));
            // The console table's rule: a column is numeric when every cell is a number (or empty).
            rightAligned[c] = table.Rows.Count > 0 && table.Rows.All(r => r[c] is null or double or long or int);
        }

        var text = new StringBuilder();
        int inner = width.Sum() + 3 * columns - 1;
        if (table.Title.Length > 0)
            text.Append(new string(' ', Math.Max(0, (inner + 2 - table.Title.Length) / 2))).Append(table.Title).Append('\n');
        Rule(text, width, '╭', '┬', '╮');
        Row(text, table.Columns, width, new bool[columns]);
        Rule(text, width, '├', '┼', '┤');
        foreach (var row in cells) Row(text, row, width, rightAligned);
        Rule(text, width, '╰', '┴', '╯');
        return text.ToString();
    }

    private static void Rule(StringBuilder text, int[] width, char left, char middle, char right)
    {
        text.Append(left);
        for (int c = 0; c < width.Length; c++)
            text.Append(c == 0 ? "" : middle.ToString()).Append(new string('─', width[c] + 2));
        text.Append(right).Append('\n');
    }

    private static void Row(StringBuilder text, IReadOnlyList<string> cells, int[] width, bool[] rightAligned)
    {
        text.Append('│');
        for (int c = 0; c < width.Length; c++)
            text.Append(' ').Append(rightAligned[c] ? cells[c].PadLeft(width[c]) : cells[c].PadRight(width[c])).Append(" │");
        text.Append('\n');
    }
}
