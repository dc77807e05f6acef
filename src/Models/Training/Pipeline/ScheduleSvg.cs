using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// Draws a pipeline schedule as an SVG Gantt chart from the simulator's own Chrome-trace JSON, like
/// the familiar schedule figures of the GPipe and PipeDream papers: one row per stage, forwards in
/// blue, backwards in green, recomputation in orange, the optimizer in grey, idle (bubble) as blank,
/// each box labelled with its micro-batch. Only the "compute" lanes are drawn.
/// </summary>
public static class ScheduleSvg
{
    public static string FromChromeTrace(string json, int width = 1360, int rowHeight = 56, string title = "")
    {
        using var doc = JsonDocument.Parse(json);
        var names = new Dictionary<(int, int), string>();
        var groups = new Dictionary<int, string>();
        var spans = new List<(int Pid, int Tid, string Name, double Ts, double Dur)>();
        foreach (var e in doc.RootElement.GetProperty("traceEvents").EnumerateArray())
        {
            string ph = e.GetProperty("ph").GetString()!;
            int pid = e.GetProperty("pid").GetInt32(), tid = e.GetProperty("tid").GetInt32();
            string name = e.GetProperty("name").GetString()!;
            if (ph == "M" && name == "thread_name") names[(pid, tid)] = e.GetProperty("args").GetProperty("name").GetString()!;
            else if (ph == "M" && name == "process_name") groups[pid] = e.GetProperty("args").GetProperty("name").GetString()!;
            else if (ph == "X") spans.Add((pid, tid, name, e.GetProperty("ts").GetDouble(), e.GetProperty("dur").GetDouble()));
        }
        var rows = names.Where(kv => kv.Value == "compute").Select(kv => kv.Key).OrderBy(k => k.Item1).ToList();
        var compute = spans.Where(s => rows.Contains((s.Pid, s.Tid))).ToList();
        double end = compute.Count == 0 ? 1 : compute.Max(s => s.Ts + s.Dur);
        const int left = 90, top = 40;
        double scale = (width - left - 20) / end;
        var svg = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        svg.Append(ci, $"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{top + rows.Count * rowHeight + 40}' font-family='sans-serif'>");
        svg.Append(ci, $"<rect width='100%' height='100%' fill='white'/><text x='{left}' y='24' font-size='16'>{Escape(title)}</text>");
        for (int r = 0; r < rows.Count; r++)
        {
            double y = top + r * rowHeight;
            svg.Append(ci, $"<text x='8' y='{y + rowHeight / 2 + 5}' font-size='14'>{Escape(groups[rows[r].Item1])}</text>");
            svg.Append(ci, $"<rect x='{left}' y='{y + 4}' width='{end * scale:F1}' height='{rowHeight - 8}' fill='#f4f4f4'/>");
            foreach (var s in compute.Where(s => (s.Pid, s.Tid) == rows[r]))
            {
                string fill = s.Name.StartsWith('F') ? "#4a7fd4" : s.Name.StartsWith('B') ? "#3f9e5a" : s.Name.StartsWith('R') ? "#e59a3a" : "#999999";
                double x = left + s.Ts * scale, w = Math.Max(1, s.Dur * scale);
                svg.Append(ci, $"<rect x='{x:F1}' y='{y + 4}' width='{w:F1}' height='{rowHeight - 8}' fill='{fill}' stroke='white'/>");
                string label = s.Name.StartsWith("optimizer") ? "opt" : s.Name[0] + s.Name[(s.Name.IndexOf('m') + 1)..];
                if (w > 18) svg.Append(ci, $"<text x='{x + w / 2:F1}' y='{y + rowHeight / 2 + 5}' font-size='13' fill='white' text-anchor='middle'>{Escape(label)}</text>");
            }
        }
        double axisY = top + rows.Count * rowHeight + 20;
        svg.Append(ci, $"<text x='{left}' y='{axisY}' font-size='12'>0</text><text x='{width - 20}' y='{axisY}' font-size='12' text-anchor='end'>{end / 1e3:F1} ms</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
