using Sim.Core.Files;
using System.Globalization;
using CsvHelper;

namespace Sim.Reports;

/// <summary>
/// Writes a <see cref="ReportTable"/> as a tidy CSV file (one header row, one row per record), the
/// form spreadsheets, pandas and R read directly. Numbers are written in the invariant culture as
/// the shortest text that round-trips, so the file is the same on every machine; the write is atomic.
/// </summary>
public static class CsvTableWriter
{
    private static readonly CsvWriterOptions Options = new() { FormatProvider = CultureInfo.InvariantCulture, NewLine = "\n" };

    public static void Write(string path, ReportTable table)
    {
        table.Validate();
        AtomicFile.Write(path, stream => Write(stream, table));
    }

    public static string ToText(ReportTable table)
    {
        table.Validate();
        using var memory = new MemoryStream();
        Write(memory, table);
        return System.Text.Encoding.UTF8.GetString(memory.ToArray());
    }

    private static void Write(Stream stream, ReportTable table)
    {
        using var csv = CsvWriter.Create(stream, Options, true);
        csv.WriteHeader(table.Columns.ToArray());
        foreach (var row in table.Rows)
        {
            foreach (var cell in row)
            {
                switch (cell)
                {
                    case double d: csv.WriteField(d, default); break;
                    case long l: csv.WriteField(l, default); break;
                    case int i: csv.WriteField(i, default); break;
                    case string s: csv.WriteField(s); break;
                    default: csv.WriteField(""); break;
                }
            }
            csv.EndRecord();
        }
    }
}
