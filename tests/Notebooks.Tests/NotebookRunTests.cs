using System.Text.Json.Nodes;
using Sim.NotebookRunner;

namespace Sim.Notebooks.Tests;

/// <summary>
/// Every shipped notebook, run cell by cell in the .NET Interactive C# kernel (hosted in this process)
/// against the current build, exactly as sim-notebook does: any compile or runtime error in any cell
/// fails with the kernel's message, so an API change cannot silently break a notebook.
/// </summary>
[Collection(ProcessStateUsers.Name)]
public sealed class NotebookRunTests
{
    private static List<string> NotebookNames() =>
        Directory.EnumerateFiles(RepositoryPaths.Notebooks, "*.ipynb").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> Notebooks() => new(NotebookNames());

    [Fact]
    public void The_notebooks_folder_holds_the_documented_notebooks()
    {
        var names = NotebookNames();
        Assert.Contains("01-getting-started.ipynb", names);
        Assert.Contains("02-data-parallel-what-if.ipynb", names);
        Assert.Contains("03-sweep.ipynb", names);
        Assert.Contains("04-federated.ipynb", names);
        Assert.Contains("05-pipeline.ipynb", names);
        Assert.Contains("06-calibration.ipynb", names);
        Assert.Contains("07-time-to-accuracy.ipynb", names);
        Assert.Contains("08-dependability.ipynb", names);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Every_code_cell_runs_without_error(string name)
    {
        RequireCurrentNotebookLibrary();
        var notebook = Notebook.Load(Path.Combine(RepositoryPaths.Notebooks, name));
        var results = await NotebookExecutor.RunAsync(notebook);

        var failed = results.FirstOrDefault(r => r.Failed);
        Assert.True(failed is null, $"{name}: cell {failed?.CellIndex} failed: {failed?.Error}");
        Assert.Equal(notebook.CodeCells().Count, results.Count);
        // The library's views reached the notebook as HTML through the kernel's formatter convention.
        Assert.Contains(results.SelectMany(r => r.MimeTypes), m => m == "text/html");
    }

    /// <summary>The notebooks load the Release build by path; it must be the library these tests were
    /// built against (same bytes), or the run would check stale code.</summary>
    private static void RequireCurrentNotebookLibrary()
    {
        string built = Path.Combine(AppContext.BaseDirectory, "Sim.Notebooks.dll");
        Assert.True(File.Exists(RepositoryPaths.NotebookLibrary),
            $"{RepositoryPaths.NotebookLibrary} is missing; the notebooks load it. Build and test in Release: dotnet build tests/Notebooks.Tests -c Release");
        Assert.True(File.ReadAllBytes(built).AsSpan().SequenceEqual(File.ReadAllBytes(RepositoryPaths.NotebookLibrary)),
            $"{RepositoryPaths.NotebookLibrary} differs from the library these tests were built with ({built}); the notebooks load the Release build, so build and test in Release: dotnet build tests/Notebooks.Tests -c Release");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_notebooks_are_polyglot_csharp_notebooks_saved_with_outputs(string name)
    {
        string path = Path.Combine(RepositoryPaths.Notebooks, name);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(".net-csharp", (string?)root["metadata"]!["kernelspec"]!["name"]);
        Assert.Equal("C#", (string?)root["metadata"]!["language_info"]!["name"]);
        var codeCells = root["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToList();
        Assert.All(codeCells, c => Assert.Equal("csharp", (string?)c!["metadata"]!["dotnet_interactive"]!["language"]));
        var notebook = Notebook.Load(path);
        Assert.True(notebook.HasBeenRun, $"{name} was committed without outputs; run: dotnet run --project tools/NotebookRunner -c Release -- notebooks/{name}");
        Assert.True(notebook.ExecutedBy == NotebookExecutor.KernelName,
            $"{name}: saved outputs come from '{notebook.ExecutedBy}', not from {NotebookExecutor.KernelName}; refresh them: dotnet run --project tools/NotebookRunner -c Release -- notebooks/{name}");
        Assert.DoesNotContain(codeCells.SelectMany(c => c!["outputs"]!.AsArray()), o => (string?)o!["output_type"] == "error");
    }
}

/// <summary>Tests that change process-wide state (working folder, console, the kernel's formatters) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessStateUsers
{
    public const string Name = "console";
}
