using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;
using Sim.Reports;
using Sim.Reports.Figures;

namespace Sim.Notebooks.Tests;

/// <summary>Views show the same content as HTML and as text, escape what came from input, and reach
/// the kernel through the formatter convention it implements.</summary>
// The kernel's Formatter is process-wide, and the notebook runs reset it: not at the same time.
[Collection(ProcessStateUsers.Name)]
public sealed class ViewTests
{
    private static class DisplayMime
    {
        public const string Html = "text/html", PlainText = "text/plain";
    }

    private static readonly ReportTable Sample = new("Runs <b>", ["case", "samples/s"], [["<script>x</script>", 1234.5], ["plain", 2.0]]);

    [Fact]
    public void Tables_escape_text_in_html_and_keep_numbers_formatted()
    {
        string html = new TableView(Sample).ToHtml();
        Assert.DoesNotContain("<script>x", html);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", html);
        Assert.Contains("Runs &lt;b&gt;", html);
        Assert.Contains("<td class=\"number\">1,234.5</td>", html);
    }

    [Fact]
    public void Tables_as_text_hold_every_cell()
    {
        string text = new TableView(Sample).ToString();
        Assert.Contains("1,234.5", text);
        Assert.Contains("plain", text);
        Assert.Contains("samples/s", text);
    }

    [Fact]
    public void Malformed_tables_fail_where_they_are_built()
    {
        var e = Assert.Throws<ArgumentException>(() => new TableView(new ReportTable("t", ["a", "b"], [["only one"]])));
        Assert.Contains("row 0", e.Message);
    }

    [Fact]
    public void Chart_html_carries_the_figure_json_without_breaking_out_of_its_script()
    {
        var figure = Charts.Scaling("a</script><script>alert(1)", [new Series("s", [1, 2], [3, 4])], "x", "y");
        string html = new ChartView(figure).ToHtml();
        Assert.DoesNotContain("</script><script>alert", html);
        Assert.DoesNotContain("http", html); // nothing from a CDN: plotly.js comes from Show.PlotlyScript()
        Assert.Contains(ChartView.MissingLibraryHint, html);
        int start = html.IndexOf("var figure = ", StringComparison.Ordinal) + "var figure = ".Length;
        int end = html.IndexOf(";\n", start, StringComparison.Ordinal);
        var json = JsonNode.Parse(html[start..end])!;
        Assert.Equal(4.0, (double)json["data"]![0]!["y"]![1]!);
    }

    [Fact]
    public void Charts_on_one_page_get_distinct_ids()
    {
        var figure = Charts.Histogram("h", [1.0, 2.0], "x");
        string first = new ChartView(figure).ToHtml(), second = new ChartView(figure).ToHtml();
        static string Id(string html) => html[(html.IndexOf("id=\"", StringComparison.Ordinal) + 4)..html.IndexOf("\" style", StringComparison.Ordinal)];
        Assert.NotEqual(Id(first), Id(second));
    }

    [Fact]
    public void Chart_text_lists_points_and_summarises_histograms()
    {
        string lines = new ChartView(Charts.Scaling("eff", [new Series("ring", [8, 16], [0.9, 0.8])], "GPUs", "e")).ToString();
        Assert.Contains("ring: (8, 0.9) (16, 0.8)", lines);
        string histogram = new ChartView(Charts.Histogram("t", [1.0, 2.0, 3.0, 6.0], "seconds")).ToString();
        Assert.Contains("4 values, min 1, mean 3, max 6", histogram);
    }

    [Fact]
    public void The_kernels_formatter_finds_html_first_then_the_same_text_as_ToString_through_the_convention()
    {
        // Microsoft.DotNet.Interactive.Formatting is the kernel's own formatter (the library references no kernel package).
        var view = Show.Stack("title", new TableView(Sample), new ChartView(Charts.Histogram("h", [1.0], "x")));
        Assert.Equal([DisplayMime.Html, DisplayMime.PlainText], Formatter.GetPreferredMimeTypesFor(view.GetType()));
        Assert.Equal(view.ToHtml(), view.ToDisplayString(DisplayMime.Html));
        Assert.Equal(view.ToString(), view.ToDisplayString(DisplayMime.PlainText));
    }

    [Fact]
    public void Generic_tables_turn_values_into_cells()
    {
        var view = Show.Table("t", new[] { (Name: "a", Count: 3L, Ratio: 0.5f) }, ("name", r => r.Name), ("count", r => r.Count), ("ratio", r => r.Ratio));
        Assert.Equal(["a", 3L, 0.5], view.Table.Rows[0]);
    }

    [Fact]
    public void Pictures_show_their_markup_in_html_and_their_caption_as_text()
    {
        var picture = Show.Html("<svg width=\"1\"></svg>", "a diagram");
        Assert.Equal("<svg width=\"1\"></svg>", picture.ToHtml());
        Assert.Equal("a diagram", picture.ToString());
        Assert.Equal("(picture)", Show.Html("<svg/>", "").ToString());
    }

    [Fact]
    public void The_plotly_script_carries_the_embedded_library_once_per_page_and_fetches_nothing()
    {
        var view = Show.PlotlyScript();
        string html = view.ToHtml();
        Assert.Contains(Sim.Reports.Html.PlotlyAsset.InlineScript, html);
        Assert.Contains("if (window.Plotly) return;", html);
        Assert.DoesNotMatch("<script[^>]+src=", html);
        Assert.Contains(Sim.Reports.Html.PlotlyAsset.Version, view.ToString());
    }

    [Fact]
    public void Plain_text_tables_are_boxed_with_numbers_right_aligned()
    {
        var table = new ReportTable("T", ["case", "n"], [["a", 5L], ["long name", 1234.5]]);
        Assert.Equal(
            "           T\n" + // centred over the 23-character box
            "╭───────────┬─────────╮\n" +
            "│ case      │ n       │\n" +
            "├───────────┼─────────┤\n" +
            "│ a         │       5 │\n" +
            "│ long name │ 1,234.5 │\n" +
            "╰───────────┴─────────╯\n",
            PlainTextTable.Render(table));
    }

    [Fact]
    public void Chart_text_comes_from_the_figure_numbers_without_building_the_chart()
    {
        var figure = new PlotlyFigure("never drawn", [new FigureTrace("a", TraceKind.Line, [1.0, 2.0], [3.0, double.NaN])], () => throw new InvalidOperationException("chart built"));
        Assert.Equal("[chart] never drawn\n  a: (1, 3) (2, )\n", new ChartView(figure).ToString());
    }
}
