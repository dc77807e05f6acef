namespace Sim.Calibration.Traces;

/// <summary>
/// Folds a trace's spans into per-operator totals and self times, like an accountant who books
/// a manager's hours net of the hours of the staff they delegated to: on each host thread, spans
/// that start inside another span are its children, and the parent's self time is its duration
/// minus its direct children. Timestamps rounded to whole microseconds can let a child overhang
/// its parent by a tick; the child is then clipped to the parent's window, so that self times
/// add up exactly to the time covered by top-level spans. GPU activities never nest.
/// Memory: one 24-byte record per complete span, so summarise traces whose span count fits.
/// </summary>
public static class OperatorSummary
{
    private readonly record struct Span(int NameId, double Start, double Duration);

    public static IReadOnlyList<OperatorStatistics> FromEvents(IEnumerable<TraceEvent> events)
    {
        var names = new Dictionary<(string, bool), int>();
        var nameList = new List<(string name, bool gpu)>();
        var threads = new Dictionary<(string pid, string tid, bool gpu), List<Span>>();
        foreach (var e in events)
        {
            if (!e.IsCompleteSpan) continue;
            bool gpu = e.IsGpuActivity;
            if (!names.TryGetValue((e.Name, gpu), out int id))
            {
                id = nameList.Count;
                names[(e.Name, gpu)] = id;
                nameList.Add((e.Name, gpu));
            }
            var key = (e.ProcessId, e.ThreadId, gpu);
            if (!threads.TryGetValue(key, out var list)) threads[key] = list = [];
            list.Add(new Span(id, e.TimestampUs, e.DurationUs));
        }

        var count = new long[nameList.Count];
        var total = new double[nameList.Count];
        var self = new double[nameList.Count];
        foreach (var ((_, _, gpu), spans) in threads)
        {
            // parents before children: earlier start first, and at equal starts the longer span
            spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Duration.CompareTo(a.Duration));
            var open = new Stack<(Span span, double end)>();
            foreach (var s in spans)
            {
                count[s.NameId]++;
                total[s.NameId] += s.Duration;
                if (gpu) { self[s.NameId] += s.Duration; continue; }
                while (open.Count > 0 && open.Peek().end <= s.Start) open.Pop();
                double end = s.Start + s.Duration;
                if (open.Count > 0)
                {
                    var (parent, parentEnd) = open.Peek();
                    end = Math.Min(end, parentEnd); // a child is clipped to its parent's window
                    self[parent.NameId] -= end - s.Start;
                }
                self[s.NameId] += end - s.Start;
                open.Push((s, end));
            }
        }
        return Enumerable.Range(0, nameList.Count)
            .Select(i => new OperatorStatistics(nameList[i].name, nameList[i].gpu, count[i], total[i], self[i]))
            .OrderByDescending(o => o.SelfUs).ThenBy(o => o.Name, StringComparer.Ordinal).ToList();
    }
}
