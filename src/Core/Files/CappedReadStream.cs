namespace Sim.Core.Files;

/// <summary>
/// A read-only stream that counts what passes through it and refuses to deliver more than a cap,
/// like a meter with a cut-off: the cap holds even for files whose reported size is 0 or a lie
/// (/proc files, devices, a file still being appended to), because it counts bytes actually read.
/// </summary>
internal sealed class CappedReadStream(Stream inner, long maxBytes, string path) : Stream
{
    private long _read;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Ask for one byte past the cap at most, so a file of exactly maxBytes is accepted.
        long room = maxBytes + 1 - _read;
        if (buffer.Length > room) buffer = buffer[..(int)room];
        int n = inner.Read(buffer);
        _read += n;
        if (_read > maxBytes)
            throw new InputFileException(path, 1, 1, $"expected a file of at most {maxBytes} bytes; it is larger (limit)");
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
