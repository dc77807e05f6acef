using System.Text.Json.Nodes;
using Sim.NotebookRunner;

namespace Sim.Notebooks.Tests;

/// <summary>The runner's contract with notebook authors, through the real C# kernel: cells continue one
/// submission history, printed text, display() calls and the last value become outputs in that order,
/// and the first error stops the run with the kernel's message.</summary>
[Collection(ProcessStateUsers.Name)]
public sealed class NotebookExecutorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sim-nb-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Notebook Write(params string[] cells)
    {
        var array = new JsonArray();
        array.Add(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = Notebook.Lines("# title") });
        foreach (var cell in cells)
            array.Add(new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = new JsonObject(),
                ["outputs"] = new JsonArray(), ["source"] = Notebook.Lines(cell),
            });
        string path = Path.Combine(_folder, "t.ipynb");
        File.WriteAllText(path, new JsonObject { ["cells"] = array, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 2 }.ToJsonString());
        return Notebook.Load(path);
    }

    private static string Text(JsonObject output, string key) =>
        string.Concat(((JsonArray)(output["data"]?[key] ?? output[key])!).Select(l => (string?)l));

    [Fact]
    public async Task Cells_share_state_and_their_outputs_keep_reading_order()
    {
        var notebook = Write("var x = 2;", "Console.WriteLine(x * 21);\ndisplay(\"shown\");\nx + 1");
        var results = await NotebookExecutor.RunAsync(notebook);

        Assert.Equal([1, 2], results.Select(r => r.CellIndex));
        Assert.Empty(results[0].Outputs);
        var outputs = results[1].Outputs;
        Assert.Equal(["stream", "display_data", "execute_result"], outputs.Select(o => (string?)o["output_type"]));
        Assert.Equal("42\n", Text(outputs[0], "text"));
        Assert.Equal("shown", Text(outputs[1], "text/plain"));
        Assert.Contains("<pre>3</pre>", Text(outputs[2], "text/html")); // the kernel's own HTML for plain values
        Assert.Equal(2, (int?)outputs[2]["execution_count"]);
    }

    [Fact]
    public async Task A_runtime_error_stops_the_run_at_that_cell()
    {
        var notebook = Write("var n = 1;", "throw new InvalidOperationException(\"boom\");", "n = 5;");
        var results = await NotebookExecutor.RunAsync(notebook);

        Assert.Equal(2, results.Count);
        Assert.Contains("InvalidOperationException: boom", results[1].Error);
        Assert.Equal("error", (string?)results[1].Outputs[^1]["output_type"]);
    }

    [Fact]
    public async Task Views_reach_the_notebook_as_html_and_text_through_the_kernels_formatter()
    {
        string library = typeof(TableView).Assembly.Location;
        var results = await NotebookExecutor.RunAsync(Write($"#r \"{library}\"", "Sim.Notebooks.Show.Table(new Sim.Reports.ReportTable(\"t\", [\"a\"], [[1.5]]))"));

        Assert.DoesNotContain(results, r => r.Failed);
        var output = results[1].Outputs.Single();
        Assert.Contains("<td class=\"number\">1.5</td>", Text(output, "text/html"));
        Assert.Contains("│ 1.5 │", Text(output, "text/plain"));
    }

    [Fact]
    public async Task A_compile_error_names_the_problem()
    {
        var results = await NotebookExecutor.RunAsync(Write("int y = \"text\";"));

        Assert.True(results[0].Failed);
        Assert.Contains("CS0029", results[0].Error);
    }

    [Fact]
    public async Task Saved_outputs_round_trip_through_the_file()
    {
        var notebook = Write("1 + 1");
        var results = await NotebookExecutor.RunAsync(notebook);
        foreach (var r in results) notebook.SetOutputs(r.CellIndex, r.ExecutionCount, r.Outputs);
        notebook.Save();

        var reloaded = Notebook.Load(notebook.Path);
        Assert.True(reloaded.HasBeenRun);
        Assert.Contains("\"text/html\"", File.ReadAllText(notebook.Path));
        Assert.False(File.Exists(notebook.Path + ".tmp"));
    }

    [Theory]
    [InlineData("{\"cells\": 3}", "nbformat 4")]
    [InlineData("{\"cells\": [], \"nbformat\": \"4\"}", "nbformat 4")]
    [InlineData("{\"cells\": [", "invalid JSON")]
    [InlineData("{\"cells\": [{\"cell_type\": \"code\", \"source\": [1]}], \"nbformat\": 4}", "cells[0].source")]
    [InlineData("{\"cells\": [7], \"nbformat\": 4}", "cells[0]")]
    public void A_file_that_is_not_a_notebook_is_rejected_naming_the_file_and_the_problem(string text, string problem)
    {
        string path = Path.Combine(_folder, "bad.ipynb");
        File.WriteAllText(path, text);
        var e = Assert.Throws<InvalidDataException>(() => Notebook.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message);
    }
}
