using System.Text.RegularExpressions;
using Sim.Scenarios.Tests.Fixtures;

namespace Sim.Reports.Tests;

/// <summary>
/// Every chart in the product is built with Plotly.NET (src/Reports/Figures/Charts.cs): no C# file
/// under src/ spells plotly.js attribute names as JSON keys or string literals, which is what a
/// hand-built figure needs. The check reads the sources, as `grep` would.
/// </summary>
public sealed class NoHandWrittenPlotlyJsonTests
{
    /// <summary>Keys every hand-built trace or layout uses; none is a word the simulator's own output needs.</summary>
    private static readonly Regex PlotlyKey = new(
        "\"(barmode|nbinsx|error_y|error_x|xaxis|yaxis|automargin|displaylogo|hovermode|showlegend|marker|histogram|scatter)\"|\\[\"(type|mode|data|layout|line|x|y)\"\\]\\s*=",
        RegexOptions.Compiled);

    [Fact]
    public void No_source_file_builds_plotly_json_by_hand()
    {
        string src = Path.Combine(RepositoryPaths.Root(), "src");
        var hits = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(path => File.ReadLines(path).Select((line, i) => (path, line, number: i + 1)))
            .Where(l => PlotlyKey.IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(src, l.path)}:{l.number}: {l.line.Trim()}")
            .ToList();
        Assert.True(hits.Count == 0, "plotly JSON written by hand (build it with Plotly.NET in Sim.Reports.Figures.Charts):\n" + string.Join("\n", hits));
    }

    [Fact]
    public void The_check_finds_a_hand_built_trace()
    {
        Assert.Matches(PlotlyKey, "var trace = new JsonObject { [\"type\"] = \"bar\" };");
        Assert.Matches(PlotlyKey, "layout[\"barmode\"] = \"stack\";");
        Assert.DoesNotMatch(PlotlyKey, "CSharpChart.StackedColumn<double, string, string>(values, Keys: keys, Name: part);");
    }
}
