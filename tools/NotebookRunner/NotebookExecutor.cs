using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Sim.NotebookRunner;

/// <summary>
/// Runs a notebook's code cells in order as one continuing C# script, the way the Polyglot C# kernel
/// does with the same engine (Roslyn scripting): the first cell starts the script, every later cell
/// continues it and sees its variables. <c>#r "relative/path.dll"</c> resolves against the notebook's
/// folder. Each cell's console output, <c>display(...)</c> calls and final value become notebook
/// outputs; the first failing cell (compile or runtime error) stops the run, as "Run All" does.
/// </summary>
public static class NotebookExecutor
{
    /// <summary>Namespaces every cell may use unqualified: the ones the Polyglot C# kernel imports
    /// (dotnet/interactive, CSharpKernel.cs, ScriptOptions.AddImports), so cells that compile here compile there.</summary>
    public static readonly string[] DefaultImports =
        ["System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks"];

    private static readonly SemaphoreSlim ConsoleLock = new(1, 1);

    /// <summary>The whole shared framework this process runs on, as the kernel offers it to cells
    /// (Roslyn's default script references stop at the core library).</summary>
    private static readonly Lazy<MetadataReference[]> Framework = new(() =>
        Directory.EnumerateFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll")
            .Where(IsManagedAssembly)
            .Order(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    private static bool IsManagedAssembly(string path)
    {
        try { System.Reflection.AssemblyName.GetAssemblyName(path); return true; }
        catch (BadImageFormatException) { return false; }
    }

    public static async Task<IReadOnlyList<CellResult>> RunAsync(Notebook notebook)
    {
        string folder = Path.GetDirectoryName(notebook.Path)!;
        var options = ScriptOptions.Default
            .WithFilePath(notebook.Path)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(folder))
            .WithSourceResolver(new SourceFileResolver([], folder))
            .WithReferences(Framework.Value)
            .WithImports(DefaultImports)
            .WithEmitDebugInformation(false);
        var globals = new NotebookGlobals();
        var results = new List<CellResult>();
        ScriptState<object>? state = null;
        int count = 0;

        // Console and the working folder are process-wide; one notebook at a time may change them.
        await ConsoleLock.WaitAsync();
        var (stdout, stderr, workingFolder) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        try
        {
            // Jupyter and Polyglot start the kernel in the notebook's folder, so relative file paths in cells mean the same here.
            Environment.CurrentDirectory = folder;
            foreach (var (index, source) in notebook.CodeCells())
            {
                count++;
                var outputs = new List<JsonObject>();
                var printed = new StringWriter();
                var errors = new StringWriter();
                Console.SetOut(printed);
                Console.SetError(errors);
                string? error = null;
                var clock = Stopwatch.StartNew();
                object? value = null;
                try
                {
                    state = state is null
                        ? await CSharpScript.RunAsync(source, options, globals, typeof(NotebookGlobals))
                        : await state.ContinueWithAsync(source, options);
                    value = state.ReturnValue;
                }
                catch (CompilationErrorException e)
                {
                    error = "compile error: " + string.Join(Environment.NewLine, e.Diagnostics.Select(d => d.ToString()));
                }
                catch (Exception e)
                {
                    error = $"{e.GetType().Name}: {e.Message}{Environment.NewLine}{e.StackTrace}";
                }
                clock.Stop();
                Console.SetOut(stdout);
                Console.SetError(stderr);

                if (printed.ToString() is { Length: > 0 } text) outputs.Add(Stream("stdout", text));
                if (errors.ToString() is { Length: > 0 } errorText) outputs.Add(Stream("stderr", errorText));
                foreach (var shown in globals.TakeDisplayed())
                    if (Rich("display_data", shown, null) is { } output) outputs.Add(output);
                if (error is null && Rich("execute_result", value, count) is { } result) outputs.Add(result);
                if (error is not null) outputs.Add(Error(error));
                results.Add(new CellResult(index, count, outputs, error, clock.Elapsed));
                if (error is not null) break;
            }
        }
        finally
        {
            Environment.CurrentDirectory = workingFolder;
            Console.SetOut(stdout);
            Console.SetError(stderr);
            ConsoleLock.Release();
        }
        return results;
    }

    private static JsonObject Stream(string name, string text) => new()
    {
        ["name"] = name,
        ["output_type"] = "stream",
        ["text"] = Notebook.Lines(text),
    };

    private static JsonObject? Rich(string outputType, object? value, int? executionCount)
    {
        var formatted = DisplayFormatter.Format(value);
        if (formatted.Count == 0) return null;
        var data = new JsonObject();
        foreach (var (mimeType, text) in formatted) data[mimeType] = Notebook.Lines(text);
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
