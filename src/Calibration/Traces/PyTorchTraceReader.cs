using System.Text.Json;

namespace Sim.Calibration.Traces;

/// <summary>
/// Reads PyTorch profiler traces event by event, like a conveyor belt that brings one parcel at a
/// time to the desk instead of tipping the whole lorry onto the floor: the file is read in fixed
/// chunks, each event object is cut out and parsed on its own, and no event may exceed a size cap.
/// Accepts Kineto JSON (<c>{"traceEvents": [...]}</c>) and the legacy top-level array of torch 1.x.
/// </summary>
public sealed class PyTorchTraceReader : IDisposable
{
    private enum Position { BeforeTop, InTopObject, InEvents, Done }

    private readonly Stream _stream;
    private readonly TraceReaderLimits _limits;
    private byte[] _buffer;
    private int _start, _end;
    private bool _eof;
    private JsonReaderState _state;
    private Position _position = Position.BeforeTop;
    private long _bytesDiscarded;
    private long _linesDiscarded;

    private PyTorchTraceReader(string path, Stream stream, TraceReaderLimits limits)
    {
        FilePath = path;
        _stream = stream;
        _limits = limits;
        _buffer = new byte[limits.ChunkBytes];
        _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = limits.MaxDepth });
    }

    public string FilePath { get; }

    /// <summary>Which dialect the file turned out to be (known after the first read).</summary>
    public TraceFileFormat Format { get; private set; } = TraceFileFormat.Unknown;

    /// <summary>Size of the read buffer now (grows only for an event larger than one chunk).</summary>
    internal int BufferCapacity => _buffer.Length;

    /// <summary>How many events have been returned so far.</summary>
    public long EventsRead { get; private set; }

    /// <summary>Largest trace file read; profiler traces of a few steps are well below this.</summary>
    public const long MaxTraceBytes = 16L << 30;

    public static PyTorchTraceReader Open(string path, TraceReaderLimits? limits = null)
    {
        Stream stream;
        // Regular files only (never blocks on a FIFO); events are capped one by one below, the
        // file as a whole at MaxTraceBytes so that /dev/zero-like input ends.
        try { stream = Sim.Core.Files.InputFile.OpenRead(path, MaxTraceBytes); }
        catch (Sim.Core.Files.InputFileException e)
        {
            throw new TraceFormatException(path, "file", e.Problem, e);
        }
        return new PyTorchTraceReader(path, stream, limits ?? TraceReaderLimits.Default);
    }

    /// <summary>All events of a trace file, streamed.</summary>
    public static IEnumerable<TraceEvent> ReadAll(string path, TraceReaderLimits? limits = null)
    {
        using var reader = Open(path, limits);
        while (reader.TryRead(out var e)) yield return e;
    }

    public bool TryRead(out TraceEvent traceEvent)
    {
        while (true)
        {
            var outcome = Advance(out traceEvent!);
            if (outcome == StepOutcome.Event) { EventsRead++; return true; }
            if (outcome == StepOutcome.Done) return false;
            if (_eof) throw Fail(_position == Position.InEvents
                ? $"file ends inside event {EventsRead} (truncated JSON)"
                : "file ends before the JSON document is complete (truncated JSON)");
            Refill();
        }
    }

    private enum StepOutcome { Event, NeedMore, Done }

    private StepOutcome Advance(out TraceEvent? traceEvent)
    {
        traceEvent = null;
        if (_position == Position.Done) return StepOutcome.Done;
        int spanBase = _start;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
        try
        {
            while (true)
            {
                var saved = reader.CurrentState;
                long savedAt = reader.BytesConsumed;
                if (!reader.Read()) { Commit(saved, spanBase + savedAt); return StepOutcome.NeedMore; }
                switch (_position)
                {
                    case Position.BeforeTop:
                        if (reader.TokenType == JsonTokenType.StartArray) { Format = TraceFileFormat.LegacyArray; _position = Position.InEvents; }
                        else if (reader.TokenType == JsonTokenType.StartObject) { Format = TraceFileFormat.Kineto; _position = Position.InTopObject; }
                        else throw Fail($"expected a JSON array of events or an object with \"traceEvents\", got {reader.TokenType}");
                        break;

                    case Position.InTopObject:
                        if (reader.TokenType == JsonTokenType.EndObject) { _position = Position.Done; return StepOutcome.Done; }
                        bool isEvents = reader.ValueTextEquals("traceEvents"u8);
                        if (!reader.Read()) { Commit(saved, spanBase + savedAt); return StepOutcome.NeedMore; }
                        if (isEvents)
                        {
                            if (reader.TokenType != JsonTokenType.StartArray) throw Fail($"key 'traceEvents': expected an array, got {reader.TokenType}");
                            _position = Position.InEvents;
                        }
                        else if (!reader.TrySkip()) { Commit(saved, spanBase + savedAt); return StepOutcome.NeedMore; }
                        break;

                    case Position.InEvents:
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            _position = Format == TraceFileFormat.LegacyArray ? Position.Done : Position.InTopObject;
                            if (_position == Position.Done) { Commit(reader.CurrentState, spanBase + reader.BytesConsumed); return StepOutcome.Done; }
                            break;
                        }
                        if (reader.TokenType != JsonTokenType.StartObject) throw Fail($"event {EventsRead}: expected an object, got {reader.TokenType}");
                        int eventStart = (int)reader.TokenStartIndex;
                        if (!reader.TrySkip()) { Commit(saved, spanBase + savedAt); return StepOutcome.NeedMore; }
                        var slice = _buffer.AsSpan(spanBase + eventStart, (int)reader.BytesConsumed - eventStart);
                        long index = EventsRead;
                        traceEvent = TraceEventParser.Parse(slice, _limits, problem => Fail($"event {index}: {problem}", spanBase + eventStart));
                        Commit(reader.CurrentState, spanBase + reader.BytesConsumed);
                        return StepOutcome.Event;
                }
            }
        }
        catch (JsonException e)
        {
            string where = _position == Position.InEvents ? $"event {EventsRead}: " : "";
            throw Fail($"{where}malformed JSON ({e.Message})", _start, e);
        }
    }

    private void Commit(JsonReaderState state, long absolutePosition)
    {
        _state = state;
        _start = (int)absolutePosition;
    }

    /// <summary>Moves the unread tail to the front and reads the next chunk, growing the buffer
    /// only while one event (or one skipped value) needs it and never beyond the cap.</summary>
    private void Refill()
    {
        int pending = _end - _start;
        if (pending > _limits.MaxEventBytes)
            throw Fail($"event {EventsRead} is larger than the limit of {_limits.MaxEventBytes} bytes");
        if (_start > 0)
        {
            _linesDiscarded += _buffer.AsSpan(0, _start).Count((byte)'\n');
            _bytesDiscarded += _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _limits.MaxEventBytes + _limits.ChunkBytes));
        int read = _stream.Read(_buffer, _end, Math.Min(_limits.ChunkBytes, _buffer.Length - _end));
        if (read == 0) _eof = true;
        _end += read;
    }

    private TraceFormatException Fail(string problem, long? bufferPosition = null, Exception? inner = null)
    {
        int at = (int)Math.Clamp(bufferPosition ?? _start, 0, _end);
        long line = _linesDiscarded + _buffer.AsSpan(0, at).Count((byte)'\n') + 1;
        long offset = _bytesDiscarded + at;
        return new TraceFormatException(FilePath, $"line {line}, byte {offset}", problem, inner);
    }

    public void Dispose() => _stream.Dispose();
}
