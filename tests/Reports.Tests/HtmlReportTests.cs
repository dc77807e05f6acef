using Sim.Scenarios.Tests.Fixtures;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sim.Reports.Figures;
using Sim.Reports.Html;

namespace Sim.Reports.Tests;

public sealed class HtmlReportTests
{
    [Fact]
    public void Report_is_self_contained_with_plotly_inline_and_no_network_references()
    {
        string html = HtmlReport.Render(SampleReport.Build());
        Assert.Contains("plotly.js v3.1.0", html);
        Assert.True(html.Length > 4_000_000, "plotly.js must be embedded");
        Assert.DoesNotMatch(new Regex("<(script|link|img)[^>]+(src|href)=", RegexOptions.IgnoreCase), html);
        Assert.Equal(4, Regex.Count(html, "<div id=\"figure-\\d\" class=\"figure\""));
        Assert.Contains("<td class=\"number\">12.5</td>", html);
    }

    [Fact]
    public void Text_from_input_files_cannot_break_out_of_the_page()
    {
        var model = new ReportModel { Title = "</script><script>alert(1)</script>" };
        model.Figures.Add(Charts.Histogram("</script><b>x", [1, 2, 3], "<i>s</i>"));
        model.Tables.Add(new ReportTable("<t>", ["<c>"], [["<img src=x>"]]));
        string html = HtmlReport.Render(model);
        string page = html.Replace(PlotlyAssetText(), "");
        Assert.Equal(2, Regex.Count(page, "<script>")); // plotly and the figure bootstrap, nothing injected
        Assert.DoesNotContain("<img", page);
        Assert.Contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Contains("\\u003c/script\\u003e\\u003cb\\u003ex", page);
    }

    private static string PlotlyAssetText() => Sim.Reports.Html.PlotlyAsset.Script;

    private static JsonObject Json(PlotlyFigure figure) => figure.ToJson();

    [Fact]
    public void Figures_are_plotly_net_charts_with_the_given_data()
    {
        var histogram = Charts.Histogram("h", [1.0, double.NaN, 3.0], "s");
        Assert.IsAssignableFrom<Plotly.NET.GenericChart>(histogram.Chart);
        var h = Json(histogram);
        Assert.Equal("histogram", (string)h["data"]![0]!["type"]!);
        Assert.Equal("[1.0,3.0]", h["data"]![0]!["x"]!.ToJsonString()); // NaN cannot be binned: left out
        Assert.Equal("h", (string)h["layout"]!["title"]!["text"]!);
        Assert.Equal("s", (string)h["layout"]!["xaxis"]!["title"]!["text"]!);
        Assert.Equal("count", (string)h["layout"]!["yaxis"]!["title"]!["text"]!);
        Assert.Equal(Charts.Height, (int)h["layout"]!["height"]!);
        Assert.Null(h["layout"]!["width"]); // the width follows the page
        Assert.Null(h["layout"]!["template"]); // plotly.js's own look, no 7 kB Plotly.NET template per chart
        Assert.True((bool)h["config"]!["responsive"]!);
        Assert.False((bool)h["config"]!["displaylogo"]!);

        var bars = Json(Charts.StackedBar("b", ["x", "y"], [("compute", [1.0, 2.0]), ("comm", [0.5, 0.25])], "s"));
        Assert.Equal("stack", (string)bars["layout"]!["barmode"]!);
        Assert.Equal(["compute", "comm"], bars["data"]!.AsArray().Select(t => (string)t!["name"]!));
        Assert.Equal("[\"x\",\"y\"]", bars["data"]![1]!["x"]!.ToJsonString());
        Assert.Equal("[0.5,0.25]", bars["data"]![1]!["y"]!.ToJsonString());

        var steps = Json(Charts.StepLines("u", [new Series("gpu", [0, 1], [1, 0])], "t", "busy"));
        Assert.Equal("hv", (string)steps["data"]![0]!["line"]!["shape"]!);
        Assert.Equal("lines", (string)steps["data"]![0]!["mode"]!);

        var scaling = Json(Charts.Scaling("s", [new Series("a", [1, 2], [3, 4], [0.1, 0.2]), new Series("b", [1, 2], [3, 5])], "n", "y", logX: true));
        Assert.Equal("log", (string)scaling["layout"]!["xaxis"]!["type"]!);
        Assert.Equal("lines+markers", (string)scaling["data"]![0]!["mode"]!);
        Assert.Equal("[0.1,0.2]", scaling["data"]![0]!["error_y"]!["array"]!.ToJsonString());
        Assert.Null(scaling["data"]![1]!["error_y"]);
        Assert.Null(Json(Charts.Scaling("s", [new Series("a", [1, 2], [3, 4])], "n", "y"))["layout"]!["xaxis"]!["type"]);

        Assert.Throws<ArgumentException>(() => Charts.StackedBar("b", ["x"], [("compute", [1.0, 2.0])], "s"));
        Assert.Throws<ArgumentException>(() => Charts.Scaling("s", [new Series("a", [1, 2], [3])], "n", "y"));
        Assert.Throws<ArgumentException>(() => Charts.Scaling("s", [new Series("a", [1, 2], [3, 4], [0.1])], "n", "y"));
    }

    [Fact]
    public void Figures_keep_their_numbers_for_text_forms_without_building_the_chart()
    {
        var figure = new PlotlyFigure("t", [new FigureTrace("a", TraceKind.Line, [1.0], [2.0])], () => throw new InvalidOperationException("built"));
        Assert.Equal("a", figure.Traces[0].Name);
        Assert.Equal("built", Assert.Throws<InvalidOperationException>(() => figure.ToScriptJson()).Message);

        var bars = Charts.StackedBar("b", ["x", "y"], [("compute", [1.0, 2.0])], "s");
        Assert.Equal(("compute", TraceKind.Bar), (bars.Traces[0].Name, bars.Traces[0].Kind));
        Assert.Equal(["x", "y"], bars.Traces[0].X);
        Assert.Equal([1.0, 2.0], bars.Traces[0].Y);
    }

    [Fact]
    public void The_same_figure_gives_the_same_bytes()
    {
        // Reports of the same scenario and seed must be identical files (no random element ids).
        string first = HtmlReport.Render(SampleReport.Build());
        Assert.Equal(first, HtmlReport.Render(SampleReport.Build()));
        // The ids are positional ("figure-0", "figure-1", ...), not random, and the bytes do follow the
        // content: one more summary row gives a different file.
        Assert.Contains("id=\"figure-0\"", first);
        Assert.DoesNotMatch(@"id=""[0-9a-f]{8}-[0-9a-f]{4}-", first);
        var changed = SampleReport.Build();
        changed.Summary.Add(new("extra", 1));
        Assert.NotEqual(first, HtmlReport.Render(changed));
    }

    [Fact]
    public void The_embedded_plotly_js_is_the_version_package_json_installs()
    {
        var package = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root(), "package.json")))!;
        Assert.Equal(PlotlyAsset.Version, (string?)package["dependencies"]!["plotly.js-dist-min"]);
        Assert.StartsWith($"/**\n* plotly.js v{PlotlyAsset.Version}", PlotlyAsset.Script);
    }

    [Fact]
    public void Writing_a_report_is_atomic()
    {
        using var folder = new TempFolder();
        var model = SampleReport.Build();
        model.Tables.Add(new ReportTable("broken", ["a", "b"], [["one cell"]]));
        Assert.Throws<ArgumentException>(() => HtmlReport.Write(folder.Combine("report.html"), model));
        Assert.Empty(folder.ListFiles());
    }
}
