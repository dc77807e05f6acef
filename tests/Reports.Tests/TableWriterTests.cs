namespace Sim.Reports.Tests;

public sealed class TableWriterTests
{
    private static readonly ReportTable Table = new("latency", ["name", "p50", "count", "note"],
    [
        ["a,b", 0.1 + 0.2, 3L, "said \"hi\""],
        ["neg", -1.5e-7, 0, null],
        ["inf", double.PositiveInfinity, 1, "x"],
    ]);

    [Fact]
    public void Csv_keeps_full_precision_invariant_numbers_and_quotes_text()
    {
        string csv = CsvTableWriter.ToText(Table);
        Assert.Equal(
            "name,p50,count,note\n" +
            "\"a,b\",0.30000000000000004,3,\"said \"\"hi\"\"\"\n" +
            "neg,-1.5E-07,0,\n" +
            "inf,Infinity,1,x\n", csv);
    }

    [Fact]
    public void Malformed_tables_are_refused_where_they_are_built()
    {
        Assert.Throws<ArgumentException>(() => new ReportTable("t", ["a", "b"], [["only one"]]).Validate());
        Assert.Throws<ArgumentException>(() => new ReportTable("t", ["a"], [[DateTime.Now]]).Validate());
    }

    [Fact]
    public void Terminal_rendering_aligns_numbers_and_shows_every_cell()
    {
        string text = TerminalTable.ToPlainText(Table, width: 100);
        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.Contains("a,b") && l.Contains("0.3") && l.Contains("said \"hi\""));
        Assert.Contains(lines, l => l.Contains("neg") && l.Contains("-1.5e-7"));
        Assert.Contains("latency", text);
        Assert.DoesNotContain("\u001b[", text); // plain text: no ANSI escapes
    }

    [Theory]
    [InlineData(1234.5678, "1,234.5678")]
    [InlineData(0.000123, "1.23e-4")]
    [InlineData(2.5e9, "2.5e+9")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "NaN")]
    public void Display_format_is_short_and_culture_free(double value, string expected) => Assert.Equal(expected, CellFormat.Display(value));
}
