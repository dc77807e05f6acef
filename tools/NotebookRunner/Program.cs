using Sim.NotebookRunner;

// sim-notebook: runs notebooks' code cells in order in the .NET Interactive C# kernel and saves the real outputs into them.
// Usage: sim-notebook NOTEBOOK.ipynb...   (build src/Notebooks in Release first; see notebooks/README.md)
if (args.Length == 0 || args.Any(a => a is "-h" or "--help"))
{
    Console.Error.WriteLine("usage: sim-notebook NOTEBOOK.ipynb... (runs every code cell in order and writes the outputs back)");
    return args.Length == 0 ? 2 : 0;
}
int failed = 0;
foreach (var path in args)
{
    Notebook notebook;
    try { notebook = Notebook.Load(path); }
    catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var results = await NotebookExecutor.RunAsync(notebook);
    foreach (var cell in results) notebook.SetOutputs(cell.CellIndex, cell.ExecutionCount, cell.Outputs);
    var failure = results.FirstOrDefault(r => r.Failed);
    notebook.ExecutedBy = NotebookExecutor.KernelName;
    if (failure is null) notebook.Save();
    else failed++;
    Console.WriteLine($"{path}: {results.Count} code cells, {clock.Elapsed.TotalSeconds:F1} s" +
        (failure is null ? "" : $", FAILED at cell {failure.CellIndex}: {failure.Error}"));
    foreach (var cell in results) Console.WriteLine($"  cell {cell.CellIndex,2}: {cell.Elapsed.TotalSeconds,6:F2} s");
}
return failed == 0 ? 0 : 1;
