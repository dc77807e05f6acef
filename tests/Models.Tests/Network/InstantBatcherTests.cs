using Sim.Core;
using Sim.Models.Network;

namespace Sim.Models.Tests.Network;

/// <summary>Items due at one instant from one callback share a kernel event and run in the order they
/// were added, exactly when their own events would have run.</summary>
public class InstantBatcherTests
{
    [Fact]
    public void Same_delay_in_one_callback_is_one_event_in_add_order()
    {
        var sim = new Simulation(1);
        var seen = new List<(double At, long Item)>();
        var batcher = new InstantBatcher(sim, item => seen.Add((sim.Now, item)));
        sim.Schedule(1.0, () =>
        {
            for (int i = 0; i < 5; i++) { batcher.Add(0.5, i); batcher.Add(0.25, 100 + i); }
        });
        sim.Run();
        Assert.Equal(3, sim.EventsProcessed); // the callback and two batches
        Assert.Equal(Enumerable.Range(100, 5).Select(i => (1.25, (long)i)), seen.Take(5));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (1.5, (long)i)), seen.Skip(5));
    }

    [Fact]
    public void Adds_from_separate_callbacks_keep_separate_events_and_the_kernel_order()
    {
        // Two callbacks at the same instant, and between them another event due at the same instant as
        // the items: the unbatched order is item 0, marker, item 1; batching must not join item 1 to item 0.
        var sim = new Simulation(1);
        var seen = new List<string>();
        var batcher = new InstantBatcher(sim, item => seen.Add($"item {item}"));
        sim.Schedule(0, () => { batcher.Add(1, 0); sim.Schedule(1, () => seen.Add("marker")); });
        sim.Schedule(0, () => batcher.Add(1, 1));
        sim.Run();
        Assert.Equal(["item 0", "marker", "item 1"], seen);
    }

    [Fact]
    public void A_batch_that_has_fired_takes_no_more_items()
    {
        var sim = new Simulation(1);
        var seen = new List<(double, long)>();
        InstantBatcher? batcher = null;
        batcher = new InstantBatcher(sim, item =>
        {
            seen.Add((sim.Now, item));
            if (item == 0) batcher!.Add(0, 1); // same delay, same instant, but the batch is running
        });
        batcher.Add(0, 0);
        sim.Run();
        Assert.Equal([(0.0, 0L), (0.0, 1L)], seen);
        Assert.Equal(2, sim.EventsProcessed);
    }
}
