namespace Sim.Scenarios.Cluster.Traces;

/// <summary>
/// Reads a comma-separated file line by line and remembers where every field starts, so a bad value
/// can be reported at its line and column. Handles double-quoted fields (with "" for a quote);
/// fields may not span lines (none of the supported traces needs that).
/// </summary>
internal sealed class CsvCursor : IDisposable
{
    private readonly Sim.Core.Files.BoundedLineReader _reader;
    private readonly StreamReader _text;

    // Untrusted input: regular files only, at most 4 GiB read and 1 MiB per line (public traces have short rows).
    private const long MaxTraceBytes = 4L << 30;
    private const int MaxLineChars = 1 << 20;
    private readonly List<string> _fields = [];
    private readonly List<int> _columns = [];

    public CsvCursor(string path)
    {
        _text = new StreamReader(Sim.Core.Files.InputFile.OpenRead(path, MaxTraceBytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        _reader = new Sim.Core.Files.BoundedLineReader(_text, MaxLineChars, path);
    }

    public int Line { get; private set; }
    public IReadOnlyList<string> Fields => _fields;
    public int ColumnOf(int field) => field < _columns.Count ? _columns[field] : 1;

    /// <summary>Next non-empty line split into fields; false at the end of the file.</summary>
    public bool Next()
    {
        string? text;
        do
        {
            text = _reader.ReadLine();
            if (text is null) return false;
            Line++;
        } while (text.Trim().Length == 0);
        Split(text);
        return true;
    }

    private void Split(string text)
    {
        _fields.Clear();
        _columns.Clear();
        int i = 0;
        while (true)
        {
            _columns.Add(i + 1);
            if (i < text.Length && text[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < text.Length)
                {
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(text[i++]);
                }
                _fields.Add(sb.ToString());
                while (i < text.Length && text[i] != ',') i++;
            }
            else
            {
                int start = i;
                while (i < text.Length && text[i] != ',') i++;
                _fields.Add(text[start..i].Trim());
            }
            if (i >= text.Length) break;
            i++; // the comma
        }
        if (text.EndsWith('\r') && _fields.Count > 0) _fields[^1] = _fields[^1].TrimEnd('\r');
    }

    public void Dispose() => _text.Dispose();
}
