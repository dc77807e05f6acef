using System.Text;

namespace Sim.Core.Files;

/// <summary>
/// A line reader with a ruler: it refuses any line longer than the limit instead of buffering it,
/// so a file without line breaks cannot make the process allocate without bound. Accepts \n, \r\n
/// and \r line ends, counts lines for error messages and refuses NUL characters (binary files).
/// </summary>
public sealed class BoundedLineReader(TextReader reader, int maxLineLength, string fileName)
{
    private readonly StringBuilder _line = new();

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line without its line end, or null at the end of the input.</summary>
    /// <exception cref="InputFileException">a line over the limit or a NUL character.</exception>
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
            if (c == 0) throw new InputFileException(fileName, LineNumber, _line.Length + 1, "a NUL character: this does not look like a text file");
            if (_line.Length >= maxLineLength)
                throw new InputFileException(fileName, LineNumber, maxLineLength + 1, $"line longer than {maxLineLength:N0} characters (limit)");
            _line.Append((char)c);
            c = reader.Read();
        }
        return _line.ToString();
    }
}
