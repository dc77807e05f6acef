using System.CommandLine;
using Sim.Reports;
using Sim.Scenarios.Validation;

namespace Sim.Cli.Commands;

/// <summary><c>sim validate ...</c>: predictions set beside measurements of real systems.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var validate = new Command("validate", "Compare predictions with measurements of real systems");
        var output = new Option<FileInfo?>("--csv") { Description = "Also write the table as CSV." };
        var published = new Command("published", "Simulate configurations whose performance was published and print the error of each");
        published.Options.Add(output);
        published.SetAction(parse => SweepCommand.Guarded(parse, () =>
        {
            var rows = PublishedValidation.Run();
            var table = new ReportTable("Published measurements vs simulation", ["configuration", "metric", "measured", "predicted", "error %", "source"],
                rows.Select(r => (IReadOnlyList<object?>)new object?[] { r.Name, r.Metric, r.Measured, r.Predicted, 100 * r.RelativeError, r.Source }).ToList());
            var stdout = parse.InvocationConfiguration.Output;
            stdout.WriteLine(TerminalTable.ToPlainText(table, 200));
            stdout.WriteLine($"mean absolute percentage error: {100 * PublishedValidation.Mape(rows):F1}% over {rows.Count} configurations");
            if (parse.GetValue(output) is { } csv) CsvTableWriter.Write(csv.FullName, table);
            return ExitCodes.Success;
        }));
        validate.Subcommands.Add(published);
        return validate;
    }
}
