using Spectre.Console;
using Spectre.Console.Rendering;

namespace Sim.Reports;

/// <summary>
/// Draws a <see cref="ReportTable"/> in a terminal, like a receipt printer: boxed columns with numbers
/// right-aligned. Output goes to any <see cref="IAnsiConsole"/>; <see cref="ToPlainText"/> renders
/// without colours for logs, tests and notebooks.
/// </summary>
public static class TerminalTable
{
    public static void Render(IAnsiConsole console, ReportTable table) => console.Write(Build(table.Validate()));

    public static string ToPlainText(ReportTable table, int width = 120)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        Render(console, table);
        return writer.ToString();
    }

    private static IRenderable Build(ReportTable table)
    {
        var grid = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(table.Title));
        for (int c = 0; c < table.Columns.Count; c++)
        {
            bool numeric = table.Rows.Count > 0 && table.Rows.All(r => r[c] is null or double or long or int);
            var column = new TableColumn(Markup.Escape(table.Columns[c]));
            grid.AddColumn(numeric ? column.RightAligned() : column);
        }
        foreach (var row in table.Rows)
            grid.AddRow(row.Select(cell => (IRenderable)new Text(CellFormat.Display(cell))).ToArray());
        return grid;
    }
}
