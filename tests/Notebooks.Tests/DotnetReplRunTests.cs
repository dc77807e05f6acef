using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Sim.Notebooks.Tests;

/// <summary>
/// Every shipped notebook, run headless by dotnet-repl (<c>--run NB --exit-after-run</c>), a kernel host
/// that ships its own Spectre.Console and FSharp.Core: a cell that only works in the test's own process
/// (say, through a package version the host does not have) fails here, and so do charts that come out
/// different from the committed ones (saved by the in-process kernel). The notebooks run side by side,
/// a few at a time, because each host process spends seconds starting up; a failing cell fails the test
/// with the notebook, the cell and the host's message.
/// </summary>
[Collection(ProcessStateUsers.Name)]
public sealed class DotnetReplRunTests
{
    /// <summary>Two cores here; three processes keep them busy while one waits on start-up.</summary>
    private const int AtOnce = 3;

    private static readonly TimeSpan PerNotebook = TimeSpan.FromMinutes(5);

    [DotnetReplFact]
    public async Task Every_notebook_runs_in_dotnet_repl_without_a_failing_cell()
    {
        Assert.True(File.Exists(KernelTools.DotnetRepl), $"{KernelTools.DotnetRepl} is missing: run ./test.sh (it installs the .NET tools the tests need)");
        string output = Directory.CreateTempSubdirectory("sim-repl-").FullName;
        try
        {
            var notebooks = Directory.EnumerateFiles(RepositoryPaths.Notebooks, "*.ipynb").Order(StringComparer.Ordinal).ToList();
            using var slots = new SemaphoreSlim(AtOnce);
            var failures = await Task.WhenAll(notebooks.Select(async notebook =>
            {
                await slots.WaitAsync();
                try { return await Run(notebook, Path.Combine(output, Path.GetFileName(notebook))); }
                finally { slots.Release(); }
            }));
            var failed = failures.Where(f => f is not null).ToList();
            Assert.True(failed.Count == 0, string.Join("\n\n", failed));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Runs one notebook; null when every cell succeeded, else what failed.</summary>
    private static async Task<string?> Run(string notebook, string outputPath)
    {
        var start = new ProcessStartInfo(KernelTools.DotnetRepl)
        {
            WorkingDirectory = RepositoryPaths.Notebooks, // where Polyglot starts the kernel: #r paths are relative to it
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { "--run", notebook, "--exit-after-run", "--output-path", outputPath }) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PerNotebook);
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return $"{Path.GetFileName(notebook)}: dotnet-repl did not finish within {PerNotebook.TotalMinutes} minutes";
        }
        string name = Path.GetFileName(notebook);
        Console.WriteLine($"dotnet-repl {name}: exit {process.ExitCode} after {clock.Elapsed.TotalSeconds:F1} s");
        string errors = FailedCells(outputPath);
        if (process.ExitCode == 0 && errors.Length == 0)
        {
            // Same figures as the committed outputs (the in-process kernel's): a chart library split across
            // two copies of FSharp.Core or Newtonsoft.Json in this host would write different JSON, or none.
            var expected = Figures(notebook);
            var actual = Figures(outputPath);
            if (expected.Count == 0 && File.ReadAllText(notebook).Contains("sim-chart-"))
                return $"{name}: has charts, but no figure JSON was found in its outputs (has ChartView.ToHtml changed?)";
            if (expected.SequenceEqual(actual)) return null;
            return $"{name}: dotnet-repl drew {actual.Count} chart(s), the committed outputs have {expected.Count}; " +
                $"first difference at chart {expected.Zip(actual).TakeWhile(p => p.First == p.Second).Count()}";
        }
        return $"{name}: dotnet-repl exited with {process.ExitCode}\n{errors}{Tail(await stderr)}{(errors.Length == 0 ? Tail(await stdout) : "")}";
    }

    /// <summary>The error outputs dotnet-repl saved, one line per failing cell.</summary>
    private static string FailedCells(string outputPath)
    {
        if (!File.Exists(outputPath)) return "";
        var cells = JsonNode.Parse(File.ReadAllText(outputPath))!["cells"]!.AsArray();
        return string.Concat(cells.Select((cell, i) => (cell, i))
            .SelectMany(c => (c.cell!["outputs"]?.AsArray() ?? []).Where(o => (string?)o!["output_type"] == "error")
                .Select(o => $"  cell {c.i}: {o!["ename"]}: {o["evalue"]}\n")));
    }

    /// <summary>The Plotly.NET figure JSON of every chart in a notebook's saved HTML outputs, in order.</summary>
    private static List<string> Figures(string notebookPath) =>
        JsonNode.Parse(File.ReadAllText(notebookPath))!["cells"]!.AsArray()
            .SelectMany(cell => cell!["outputs"]?.AsArray() ?? [])
            .Select(output => output!["data"]?["text/html"] switch
            {
                JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
                JsonValue text => (string?)text,
                _ => null,
            })
            .OfType<string>()
            .SelectMany(html => System.Text.RegularExpressions.Regex.Matches(html, "var figure = (\\{.*?\\});\n").Select(m => m.Groups[1].Value))
            .ToList();

    private static string Tail(string text) => text.Length <= 2000 ? text : "..." + text[^2000..];
}
