using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Sim.Core.Agenda;

/// <summary>
/// Notes to the CPU about what is coming, like a cook reading the next recipes and setting the
/// ingredients out while the current dish is on the stove. A prefetch starts loading a cache line
/// and lets the program go on, so the misses of many upcoming entries overlap instead of coming one
/// after another when each fires. Hints only: a stale or wrong address is ignored, never a fault,
/// and results never depend on them.
/// </summary>
internal static class MemoryHints
{
    /// <summary>Bytes from a process to its timer: the process object's size. A process allocates its
    /// timer in its constructor, so the timer follows it in memory (compaction keeps the order); the
    /// script's iterator, made by the caller just before, usually precedes it. Checked by a test.</summary>
    internal const int ProcessToTimer = 96;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch<T>(ref T value)
    {
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref value));
    }

    /// <summary>An entry slot: 40 bytes, so three slots in eight straddle two cache lines; load both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(ref EntrySlot slot)
    {
        if (!Sse.IsSupported) return;
        byte* address = (byte*)Unsafe.AsPointer(ref slot);
        Sse.Prefetch0(address);
        Sse.Prefetch0(address + (Unsafe.SizeOf<EntrySlot>() - 1));
    }

    /// <summary>What an entry will touch when it fires: its target object and, for a process timer,
    /// the whole cluster of timer, process and script (about 200 bytes ending at the timer's last field).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void PrefetchTarget(object? target, EntryKind kind)
    {
        if (!Sse.IsSupported) return;
        byte* address = *(byte**)Unsafe.AsPointer(ref target);
        Sse.Prefetch0(address);
        if (kind == EntryKind.FireProcessTimer)
        {
            Sse.Prefetch0(address + 40);                       // the timer's last field
            Sse.Prefetch0(address - 32);                       // the process's second half
            Sse.Prefetch0(address - ProcessToTimer);           // the process's header and first fields
            Sse.Prefetch0(address - ProcessToTimer - 64);      // the script's iterator
        }
        else Sse.Prefetch0(address + 64);
    }
}
