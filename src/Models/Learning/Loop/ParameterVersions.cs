namespace Sim.Models.Learning.Loop;

/// <summary>
/// The server's current parameters and the snapshots of older versions that workers are still computing
/// on. A worker pins the current version when it reads the model and releases it when its gradient has
/// been applied; a snapshot is kept only while pinned, so memory is bounded by the number of workers in
/// flight (plus the current version), however many versions the run produces. Snapshot buffers are
/// pooled: after warm-up, pinning and releasing allocate nothing.
/// </summary>
/// <remarks>Not thread-safe. Pin before mutating the current parameters for the next version.</remarks>
public sealed class ParameterVersions
{
    private readonly float[] _current;
    private long _version;
    private readonly List<float[]> _buffers = new();
    private readonly List<long> _versionOfSlot = new();
    private readonly List<int> _pins = new();
    private readonly Stack<int> _free = new();
    private int _latestSlot = -1;
    private int _live, _peakLive;

    public ParameterVersions(int parameterCount) => _current = new float[parameterCount];

    /// <summary>The current parameters (mutate them, then call <see cref="Advance"/>).</summary>
    public float[] Current => _current;

    /// <summary>Number of updates applied so far (the current version).</summary>
    public long Version => _version;

    /// <summary>Snapshots pinned now / at most at any time.</summary>
    public int LiveSnapshots => _live;
    public int PeakLiveSnapshots => _peakLive;

    /// <summary>Bytes held by snapshot buffers (pooled ones included).</summary>
    public long SnapshotBytes => (long)_buffers.Count * _current.Length * sizeof(float);

    /// <summary>Pins the current version: returns a slot whose <see cref="Parameters"/> stay unchanged until
    /// released. Workers that read the same version share one snapshot.</summary>
    public int Pin()
    {
        if (_latestSlot >= 0 && _versionOfSlot[_latestSlot] == _version && _pins[_latestSlot] > 0)
        {
            _pins[_latestSlot]++;
            return _latestSlot;
        }
        int slot;
        if (_free.Count > 0) slot = _free.Pop();
        else
        {
            slot = _buffers.Count;
            _buffers.Add(new float[_current.Length]);
            _versionOfSlot.Add(-1);
            _pins.Add(0);
        }
        _current.AsSpan().CopyTo(_buffers[slot]);
        _versionOfSlot[slot] = _version;
        _pins[slot] = 1;
        _latestSlot = slot;
        if (++_live > _peakLive) _peakLive = _live;
        return slot;
    }

    public ReadOnlySpan<float> Parameters(int slot) => _buffers[slot];

    public long VersionOf(int slot) => _versionOfSlot[slot];

    /// <summary>Unpins a slot; the snapshot is recycled when no one holds it.</summary>
    /// <exception cref="InvalidOperationException">the slot is not pinned (a bug in the caller).</exception>
    public void Release(int slot)
    {
        if (slot < 0 || slot >= _pins.Count || _pins[slot] <= 0) throw new InvalidOperationException($"parameter snapshot {slot} released but not pinned");
        if (--_pins[slot] == 0)
        {
            _free.Push(slot);
            _live--;
            if (_latestSlot == slot) _latestSlot = -1;
        }
    }

    /// <summary>Marks the current parameters as a new version (after an update was applied).</summary>
    public void Advance() => _version++;
}
