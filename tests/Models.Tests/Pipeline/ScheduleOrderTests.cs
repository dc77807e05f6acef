using System.Text.Json;
using Sim.Models.Training.Pipeline;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// The recorded timeline of a 4-stage, 8-micro-batch 1F1B run (the simulator's own Chrome-trace output)
/// shows the textbook order on every stage: p - s - 1 warm-up forwards, then one forward one backward,
/// then the cool-down backwards; and every span respects its data dependencies in time.
/// </summary>
public class ScheduleOrderTests
{
    private static Dictionary<string, List<(string Name, double Ts, double End)>> ComputeLanes(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var process = new Dictionary<int, string>();
        var lane = new Dictionary<(int, int), string>();
        var spans = new List<(int, int, string, double, double)>();
        foreach (var e in doc.RootElement.GetProperty("traceEvents").EnumerateArray())
        {
            string ph = e.GetProperty("ph").GetString()!, name = e.GetProperty("name").GetString()!;
            int pid = e.GetProperty("pid").GetInt32(), tid = e.GetProperty("tid").GetInt32();
            if (ph == "M" && name == "process_name") process[pid] = e.GetProperty("args").GetProperty("name").GetString()!;
            if (ph == "M" && name == "thread_name") lane[(pid, tid)] = e.GetProperty("args").GetProperty("name").GetString()!;
            if (ph == "X") spans.Add((pid, tid, name, e.GetProperty("ts").GetDouble(), e.GetProperty("ts").GetDouble() + e.GetProperty("dur").GetDouble()));
        }
        return spans.Where(s => lane[(s.Item1, s.Item2)] == "compute")
            .GroupBy(s => process[s.Item1])
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Item4).Select(s => (s.Item3, s.Item4, s.Item5)).ToList());
    }

    /// <summary>The textbook 1F1B order of stage s, written out independently of the simulator.</summary>
    private static List<string> Textbook1F1B(int p, int m, int s)
    {
        var order = new List<string>();
        int warmup = Math.Min(p - s - 1, m), f = 0, b = 0;
        while (f < warmup) order.Add($"F m{f++}");
        while (f < m) { order.Add($"F m{f++}"); order.Add($"B m{b++}"); }
        while (b < m) order.Add($"B m{b++}");
        return order;
    }

    [Fact]
    public void Four_stage_1F1B_timeline_follows_the_textbook_order()
    {
        string json = PipelineExamples.FourStage1F1B(HardwarePresets.DgxA100);
        var lanes = ComputeLanes(json);
        Assert.Equal(4, lanes.Count);
        for (int s = 0; s < 4; s++)
        {
            var ops = lanes[$"stage {s}"].Where(x => x.Name != "optimizer").ToList();
            Assert.Equal(Textbook1F1B(4, 8, s), ops.Select(o => o.Name).ToList());
            // The warm-up of stage s is exactly p - s - 1 forwards before the first backward.
            Assert.Equal(3 - s, ops.FindIndex(o => o.Name.StartsWith('B')) - 1);
            Assert.Single(lanes[$"stage {s}"], x => x.Name == "optimizer");
        }
        // Dependencies in time: F m on stage s+1 starts after F m ends on stage s; B m on stage s after B m on s+1.
        for (int s = 0; s < 3; s++)
            for (int mb = 0; mb < 8; mb++)
            {
                var here = lanes[$"stage {s}"].ToDictionary(o => o.Name);
                var next = lanes[$"stage {s + 1}"].ToDictionary(o => o.Name);
                Assert.True(next[$"F m{mb}"].Ts >= here[$"F m{mb}"].End);
                Assert.True(here[$"B m{mb}"].Ts >= next[$"B m{mb}"].End);
            }
    }

    [Fact]
    public void Interleaved_order_matches_Megatron_warmup_and_chunk_mapping()
    {
        // p = 2, v = 2, m = 4, device 0: warm-up 2(p - 1) + (v - 1)p = 4 forwards (chunk 0 for m0, m1, then chunk 1).
        var ops = PipelineSchedule.Order(PipelineScheduleKind.Interleaved, 2, 4, 2, 0);
        Assert.Equal(new[] { "F m0.c0", "F m1.c0", "F m0.c1", "F m1.c1", "F m2.c0", "B m0.c1", "F m3.c0", "B m1.c1", "F m2.c1", "B m0.c0", "F m3.c1", "B m1.c0",
            "B m2.c1", "B m3.c1", "B m2.c0", "B m3.c0" }, ops.Select(o => o.Label(true)));
        // Every (micro-batch, chunk) appears once forward and once backward, forward first.
        foreach (var d in new[] { 0, 1 })
        {
            var list = PipelineSchedule.Order(PipelineScheduleKind.Interleaved, 2, 4, 2, d).ToList();
            foreach (var op in list.Where(o => !o.IsForward))
                Assert.True(list.IndexOf(op with { IsForward = true }) < list.IndexOf(op));
            Assert.Equal(16, list.Distinct().Count());
        }
    }

    [Fact]
    public void Schedules_respect_the_published_in_flight_limits()
    {
        foreach (var (kind, p, m, v) in new[] { (PipelineScheduleKind.GPipe, 4, 8, 1), (PipelineScheduleKind.OneFOneB, 4, 8, 1), (PipelineScheduleKind.Interleaved, 4, 8, 2), (PipelineScheduleKind.Interleaved, 4, 4, 3) })
            for (int d = 0; d < p; d++)
            {
                int live = 0, peak = 0;
                foreach (var op in PipelineSchedule.Order(kind, p, m, v, d)) { live += op.IsForward ? 1 : -1; peak = Math.Max(peak, live); }
                Assert.Equal(PipelineSchedule.PeakInFlight(kind, p, m, v, d), peak);
            }
    }
}
