using CsvHelper;

namespace Sim.Scenarios.Tests.Fixtures;

/// <summary>Reads a merged results CSV into rows keyed by column name (test helper).</summary>
public static class Csv
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string path)
    {
        using var reader = CsvReader.FromFile(path, new CsvReaderOptions { HasHeader = false });
        var rows = new List<IReadOnlyDictionary<string, string>>();
        string[]? header = null;
        while (reader.Read())
        {
            var fields = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)).ToArray();
            if (header is null) { header = fields; continue; }
            rows.Add(header.Zip(fields).ToDictionary(p => p.First, p => p.Second));
        }
        return rows;
    }
}
