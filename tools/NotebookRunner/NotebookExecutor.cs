using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Sim.NotebookRunner;

/// <summary>
/// Runs a notebook's code cells in order in the real .NET Interactive C# kernel (<see cref="CSharpKernel"/>,
/// the kernel Polyglot Notebooks and <c>dotnet-interactive</c> run), hosted in this process: each cell
/// is one <see cref="SubmitCode"/>, later cells see earlier cells' variables, and the kernel's own
/// helpers (<c>display(...)</c>) and formatters (including the convention-based formatter sources the
/// Sim views carry) apply. Printed text, displayed values, the cell's value and failures become
/// notebook outputs, as the kernel reported them; the first failing cell (compile or runtime error)
/// stops the run, as "Run All" does. <c>#r "relative/path.dll"</c> resolves against the notebook's
/// folder, the kernel's working folder in Polyglot and Jupyter.
/// </summary>
public static class NotebookExecutor
{
    /// <summary>The kernel package these outputs come from, recorded in every notebook the runner saves.</summary>
    public static readonly string KernelName =
        $"{nameof(CSharpKernel)} ({typeof(CSharpKernel).Assembly.GetName().Name} {typeof(CSharpKernel).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false).OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0]})";

    // The working folder is process-wide; one notebook at a time may change it.
    private static readonly SemaphoreSlim FolderLock = new(1, 1);

    public static async Task<IReadOnlyList<CellResult>> RunAsync(Notebook notebook)
    {
        string folder = Path.GetDirectoryName(notebook.Path)!;
        var results = new List<CellResult>();
        await FolderLock.WaitAsync();
        string workingFolder = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = folder;
            // The kernel's formatters are process-wide; start each notebook from the defaults, as a fresh kernel process would.
            Formatter.ResetToDefault();
            using var kernel = new CSharpKernel().UseKernelHelpers();
            int count = 0;
            foreach (var (index, source) in notebook.CodeCells())
            {
                count++;
                var clock = Stopwatch.StartNew();
                var result = await kernel.SendAsync(new SubmitCode(source));
                clock.Stop();
                var (outputs, error) = Outputs(result.Events, count);
                results.Add(new CellResult(index, count, outputs, error, clock.Elapsed));
                if (error is not null) break;
            }
        }
        finally
        {
            Environment.CurrentDirectory = workingFolder;
            FolderLock.Release();
        }
        return results;
    }

    /// <summary>The kernel's events for one cell as nbformat outputs, in the order they happened, and the failure message if it failed.</summary>
    private static (List<JsonObject> Outputs, string? Error) Outputs(IEnumerable<KernelEvent> events, int executionCount)
    {
        var outputs = new List<JsonObject>();
        string? error = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case StandardOutputValueProduced printed:
                    outputs.Add(Stream("stdout", Text(printed)));
                    break;
                case StandardErrorValueProduced printed:
                    outputs.Add(Stream("stderr", Text(printed)));
                    break;
                case ReturnValueProduced value:
                    outputs.Add(Rich("execute_result", value, executionCount));
                    break;
                case DisplayEvent shown: // display(...) and its updates
                    outputs.Add(Rich("display_data", shown, null));
                    break;
                case CommandFailed failed:
                    error = failed.Message;
                    outputs.Add(Error(failed.Message));
                    break;
            }
        }
        return (outputs, error);
    }

    private static string Text(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(f => f.MimeType == PlainTextFormatter.MimeType)?.Value ?? e.Value?.ToString() ?? "";

    private static JsonObject Stream(string name, string text) => new()
    {
        ["name"] = name,
        ["output_type"] = "stream",
        ["text"] = Notebook.Lines(text),
    };

    private static JsonObject Rich(string outputType, DisplayEvent shown, int? executionCount)
    {
        var data = new JsonObject();
        foreach (var formatted in shown.FormattedValues) data[formatted.MimeType] = Notebook.Lines(formatted.Value);
        var output = new JsonObject { ["data"] = data };
        if (executionCount is { } n) output["execution_count"] = n;
        output["metadata"] = new JsonObject();
        output["output_type"] = outputType;
        return output;
    }

    private static JsonObject Error(string message)
    {
        var lines = message.Split('\n');
        return new JsonObject
        {
            ["ename"] = "Error",
            ["evalue"] = lines[0].TrimEnd('\r'),
            ["output_type"] = "error",
            ["traceback"] = new JsonArray(lines.Select(l => (JsonNode?)l.TrimEnd('\r')).ToArray()),
        };
    }
}
