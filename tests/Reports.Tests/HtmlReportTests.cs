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
        Assert.Equal(4, Regex.Matches(html, "<div id=\"figure-\\d\" class=\"figure\"").Count);
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
        Assert.Equal(2, Regex.Matches(page, "<script>").Count); // plotly and the figure bootstrap, nothing injected
        Assert.DoesNotContain("<img", page);
        Assert.Contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Contains("\\u003C/script\\u003E\\u003Cb\\u003Ex", page);
    }

    private static string PlotlyAssetText() => Sim.Reports.Html.PlotlyAsset.Script;

    [Fact]
    public void Figures_are_plotly_json_with_the_given_data()
    {
        var histogram = Charts.Histogram("h", [1.0, double.NaN, 3.0], "s").ToJson();
        Assert.Equal("histogram", (string)histogram["data"]![0]!["type"]!);
        Assert.Equal("[1,null,3]", histogram["data"]![0]!["x"]!.ToJsonString());

        var bars = Charts.StackedBar("b", ["x", "y"], [("compute", [1.0, 2.0]), ("comm", [0.5, 0.25])], "s").ToJson();
        Assert.Equal("stack", (string)bars["layout"]!["barmode"]!);
        Assert.Equal(["compute", "comm"], bars["data"]!.AsArray().Select(t => (string)t!["name"]!));

        var steps = Charts.StepLines("u", [new Series("gpu", [0, 1], [1, 0])], "t", "busy").ToJson();
        Assert.Equal("hv", (string)steps["data"]![0]!["line"]!["shape"]!);

        var scaling = Charts.Scaling("s", [new Series("a", [1, 2], [3, 4], [0.1, 0.2])], "n", "y", logX: true).ToJson();
        Assert.Equal("log", (string)scaling["layout"]!["xaxis"]!["type"]!);
        Assert.Equal("[0.1,0.2]", scaling["data"]![0]!["error_y"]!["array"]!.ToJsonString());

        Assert.Throws<ArgumentException>(() => Charts.StackedBar("b", ["x"], [("compute", [1.0, 2.0])], "s"));
        Assert.Throws<ArgumentException>(() => Charts.Scaling("s", [new Series("a", [1, 2], [3])], "n", "y"));
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
