using System.Text;

namespace Sim.Models.Federated;

/// <summary>
/// A line reader with a ruler: it refuses any line longer than the limit instead of buffering it,
/// so a file without line breaks cannot make the process allocate without bound. Accepts \n, \r\n
/// and \r line ends and counts lines for error messages.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxLineLength, string fileName)
{
    private readonly StringBuilder _line = new();

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    public string? ReadLine()
    {
        _line.Clear();
        int c = reader.Read();
        if (c < 0) return null;
        LineNumber++;
        while (c >= 0)
        {
            if (c == '\n') break;
            if (c == '\r')
            {
                if (reader.Peek() == '\n') reader.Read();
                break;
            }
            if (c == 0) throw new TraceFormatException(fileName, LineNumber, _line.Length + 1, "a NUL character: this does not look like a text (CSV) file");
            if (_line.Length >= maxLineLength)
                throw new TraceFormatException(fileName, LineNumber, maxLineLength + 1, $"line longer than {maxLineLength:N0} characters (limit)");
            _line.Append((char)c);
            c = reader.Read();
        }
        return _line.ToString();
    }
}
