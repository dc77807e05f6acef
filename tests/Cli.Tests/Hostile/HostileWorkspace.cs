using System.Diagnostics;
using System.Security.Cryptography;

namespace Sim.Cli.Tests.Hostile;

/// <summary>
/// A scratch folder for one hostile-input case: the scenario and data files it needs (regular
/// files, FIFOs), and a pre-existing results folder whose bytes are fingerprinted, so a test can
/// prove that a refused input changed nothing that was already there.
/// </summary>
public sealed class HostileWorkspace : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("sim-hostile-").FullName;

    /// <summary>A results folder from an earlier run (fake but complete); its fingerprint is kept.</summary>
    public string OldResults => Path.Combine(Dir, "old-results");

    public string Path_(string name) => Path.Combine(Dir, name);

    public string Write(string name, string contents)
    {
        string path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
        return path;
    }

    public string Fifo(string name)
    {
        string path = Path.Combine(Dir, name);
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"mkfifo {path} failed");
        return path;
    }

    public void CreateOldResults()
    {
        Directory.CreateDirectory(OldResults);
        File.WriteAllText(Path.Combine(OldResults, "summary.json"), "{\"format\": \"old run\"}");
        File.WriteAllText(Path.Combine(OldResults, "iterations.csv"), "replication,iteration,seconds\n0,0,1\n");
        File.WriteAllText(Path.Combine(OldResults, "timeline.json"), "[]");
    }

    /// <summary>Names and SHA-256 of every file below a folder (empty when it does not exist).</summary>
    public static string Fingerprint(string folder)
    {
        if (!Directory.Exists(folder)) return "(none)";
        return string.Join("\n", Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(folder, f) + " " + (File.Exists(f) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))) : "dir")));
    }

    /// <summary>Entries beside the old results that a run may have left (staging folders, temporaries).</summary>
    public IReadOnlyList<string> Leftovers() =>
        Directory.EnumerateFileSystemEntries(Dir).Select(Path.GetFileName).Where(n => n!.StartsWith('.')).Select(n => n!).ToList();

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
