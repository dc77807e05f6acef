namespace Sim.Core.Agenda;

/// <summary>What a popped entry asks the kernel to do.</summary>
internal enum EntryKind : byte
{
    FireEvent = 0,
    Callback = 1,
    CallbackWithArg = 2,
    StartProcess = 3,
    /// <summary>Fires a process's own timer: handled as <see cref="FireEvent"/>; the kind only tells the
    /// agenda where the timer's process lies in memory, for prefetching.</summary>
    FireProcessTimer = 4,
}

/// <summary>
/// One booked entry, like a filled-in appointment card: who to call (target, argument, kind), when,
/// and its place in the booking order. Slots live in one array and are recycled, so booking
/// allocates nothing; <see cref="Next"/> threads the card into a ladder bucket's list.
/// </summary>
internal struct EntrySlot
{
    public object? Target;
    public long Arg;
    public double Time;
    /// <summary>Sequence number in the high bits, this slot's index in the low bits (the heap's key).</summary>
    public ulong Key;
    public int Next;
    public EntryKind Kind;
}

/// <summary>A popped entry.</summary>
internal readonly struct Entry(double time, EntryKind kind, object target, long arg)
{
    public readonly double Time = time;
    public readonly EntryKind Kind = kind;
    public readonly object Target = target;
    public readonly long Arg = arg;
}
