using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sim.Notebooks.Tests;

/// <summary>
/// The getting-started notebook in the kernel process VS Code's Polyglot Notebooks talks to:
/// <c>dotnet-interactive stdio</c>, fed one SubmitCode command envelope per cell on standard input,
/// answering with event envelopes on standard output. One notebook, not all: it exercises what is
/// particular to this host (its own FSharp.Core and packages, #r from the notebook folder, the
/// formatter convention, Plotly.NET charts); the other hosts run every notebook.
/// </summary>
public sealed class PolyglotKernelTests
{
    private static readonly TimeSpan PerCell = TimeSpan.FromMinutes(3);

    [DotnetInteractiveFact]
    public async Task Getting_started_runs_in_the_polyglot_kernel_with_html_and_text_views()
    {
        Assert.True(File.Exists(KernelTools.DotnetInteractive), $"{KernelTools.DotnetInteractive} is missing: run ./test.sh (it installs the .NET tools the tests need)");
        var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Notebooks, "01-getting-started.ipynb")))!;
        var cells = notebook["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code")
            .Select(c => string.Concat(c!["source"]!.AsArray().Select(l => (string?)l))).ToList();

        var start = new ProcessStartInfo(KernelTools.DotnetInteractive)
        {
            WorkingDirectory = RepositoryPaths.Notebooks, // the folder Polyglot starts the kernel in
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "stdio", "--default-kernel", "csharp" }) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            var mimeTypes = new List<string>();
            for (int i = 0; i < cells.Count; i++)
            {
                string token = $"cell-{i}";
                var command = new JsonObject
                {
                    ["token"] = token,
                    ["commandType"] = "SubmitCode",
                    ["command"] = new JsonObject { ["code"] = cells[i], ["targetKernelName"] = "csharp" },
                };
                await process.StandardInput.WriteLineAsync(command.ToJsonString());
                await process.StandardInput.FlushAsync();
                using var timeout = new CancellationTokenSource(PerCell);
                while (true)
                {
                    string? line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                        ?? throw new Xunit.Sdk.XunitException($"dotnet-interactive exited during cell {i}");
                    JsonNode? envelope;
                    try { envelope = JsonNode.Parse(line); }
                    catch (JsonException) { continue; } // not an envelope (start-up text)
                    if ((string?)envelope?["command"]?["token"] != token) continue;
                    string? type = (string?)envelope!["eventType"];
                    if (type is "DisplayedValueProduced" or "ReturnValueProduced")
                        mimeTypes.AddRange(envelope["event"]!["formattedValues"]!.AsArray().Select(f => (string)f!["mimeType"]!));
                    if (type == "CommandFailed")
                        Assert.Fail($"01-getting-started.ipynb, code cell {i} failed in dotnet-interactive: {envelope["event"]!["message"]}");
                    if (type == "CommandSucceeded") break;
                }
            }
            Assert.Contains("text/html", mimeTypes);
            Assert.Contains("text/plain", mimeTypes);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
