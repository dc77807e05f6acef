using System.Globalization;

namespace Sim.Reports;

/// <summary>
/// How cell values are spelled for people (HTML, terminal), like rounding figures for a slide while
/// the spreadsheet (CSV) keeps every digit: about four significant digits, invariant culture.
/// </summary>
public static class CellFormat
{
    public static string Display(object? cell) => cell switch
    {
        null => "",
        double d when double.IsNaN(d) => "NaN",
        double d when double.IsInfinity(d) => d > 0 ? "inf" : "-inf",
        double d when d != 0 && (Math.Abs(d) >= 1e6 || Math.Abs(d) < 1e-3) => d.ToString("0.###e+0", CultureInfo.InvariantCulture),
        double d => d.ToString("#,0.####", CultureInfo.InvariantCulture),
        long l => l.ToString("#,0", CultureInfo.InvariantCulture),
        int i => i.ToString("#,0", CultureInfo.InvariantCulture),
        string s => s,
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "",
    };
}
