using System.Globalization;
using Sim.Core.Files;

namespace Sim.Reports;

/// <summary>
/// Makes a results folder change all at once, like a stage crew that builds the next set behind
/// the curtain and swaps it in during one blackout: a run writes into a fresh hidden sibling
/// (<c>.NAME.sim-PID-RANDOM.staging</c>) and <see cref="Commit"/> swaps it with the target. On Linux
/// the swap is one <c>renameat2(RENAME_EXCHANGE)</c>, so at every instant — a kill -9, a power cut,
/// a full disk — the target holds the whole old run or the whole new one, never a mix, and no file of
/// the old run survives into the new one. Elsewhere (or on file systems without exchange) the old
/// folder is renamed aside first, and <see cref="Begin"/> puts it back if a crash left no target.
/// </summary>
/// <remarks>
/// Contract: <see cref="Begin"/> checks the target before any simulation starts (an existing file, a
/// folder that is not a results folder, an unwritable parent: <see cref="IOException"/> naming the
/// path) and deletes temporaries of earlier, dead writers of the same target. Disposing an uncommitted
/// swap deletes its staging folder. A folder is a "results folder" when it is empty or holds
/// <see cref="MarkerFile"/>; anything else is refused, so a mistyped --out never replaces a folder
/// of the user's own.
/// </remarks>
public sealed class ResultsFolderSwap : IDisposable
{
    /// <summary>The file every complete results folder holds (written last).</summary>
    public const string MarkerFile = "summary.json";

    private const string StagingSuffix = ".staging";
    private const string RetiredSuffix = ".retired";
    private bool _committed;

    /// <summary>The final folder.</summary>
    public string Target { get; }

    /// <summary>Where to write the new run until <see cref="Commit"/>.</summary>
    public string Staging { get; }

    private ResultsFolderSwap(string target, string staging)
    {
        Target = target;
        Staging = staging;
    }

    /// <summary>Checks, before a run, that <paramref name="target"/> can take results (nothing is
    /// created or deleted); <see cref="Begin"/> checks again when the results are written.</summary>
    /// <exception cref="ResultsTargetException">as for <see cref="Begin"/>.</exception>
    public static void CheckTarget(string target)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        string name = Path.GetFileName(full);
        if (name.Length == 0) throw new ResultsTargetException($"{target}: expected a results folder, got the file-system root");
        if (File.Exists(full)) throw new ResultsTargetException($"{full}: expected a results folder, got an existing file");
        for (string? up = Path.GetDirectoryName(full); up is not null; up = Path.GetDirectoryName(up))
            if (File.Exists(up)) throw new ResultsTargetException($"{up}: expected a folder to hold {Path.GetRelativePath(up, full)}, got an existing file");
        if (Directory.Exists(full) && !IsResultsFolder(full))
            throw new ResultsTargetException($"{full}: exists and is not a results folder (it has files but no {MarkerFile}); choose another --out or empty it");
    }

    /// <summary>Checks the target, cleans what dead writers left, and creates a fresh staging folder.</summary>
    /// <exception cref="ResultsTargetException">the target is a file or a folder that is not a results folder,
    /// or its parent cannot be created or written.</exception>
    public static ResultsFolderSwap Begin(string target)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        string name = Path.GetFileName(full);
        if (name.Length == 0) throw new ResultsTargetException($"{target}: expected a results folder, got the file-system root");
        string parent = Path.GetDirectoryName(full)!;
        if (File.Exists(full)) throw new ResultsTargetException($"{full}: expected a results folder, got an existing file");
        if (File.Exists(parent)) throw new ResultsTargetException($"{parent}: expected a folder to hold {name}, got an existing file");
        try { Directory.CreateDirectory(parent); }
        catch (UnauthorizedAccessException e) { throw new ResultsTargetException($"{parent}: cannot create the folder ({e.Message})", e); }
        RecoverAndClean(parent, name, full);
        if (Directory.Exists(full) && !IsResultsFolder(full))
            throw new ResultsTargetException($"{full}: exists and is not a results folder (it has files but no {MarkerFile}); choose another --out or empty it");
        string staging = Path.Combine(parent, $".{name}.sim-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}{StagingSuffix}");
        try { Directory.CreateDirectory(staging); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { throw new ResultsTargetException($"{parent}: cannot write results here ({e.Message})", e); }
        return new ResultsFolderSwap(full, staging);
    }

    /// <summary>Swaps the staging folder in as the target; the old run, if any, is deleted.</summary>
    public void Commit()
    {
        if (_committed) throw new InvalidOperationException("already committed");
        if (Directory.Exists(Target) && AtomicExchange.TryExchange(Staging, Target))
        {
            // Target now holds the new run, Staging the old one.
            _committed = true;
            TryDeleteTree(Staging);
            return;
        }
        if (Directory.Exists(Target))
        {
            // No atomic exchange here: retire the old folder first; Begin restores it if we die
            // between the two renames.
            string retired = Staging[..^StagingSuffix.Length] + RetiredSuffix;
            Directory.Move(Target, retired);
            Directory.Move(Staging, Target);
            _committed = true;
            TryDeleteTree(retired);
            return;
        }
        Directory.Move(Staging, Target);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed) TryDeleteTree(Staging);
    }

    private static bool IsResultsFolder(string folder) =>
        File.Exists(Path.Combine(folder, MarkerFile)) || !Directory.EnumerateFileSystemEntries(folder).Any();

    /// <summary>Puts back an old run a crash left retired, and deletes staging and retired folders
    /// whose writer process is gone (a live one may be a concurrent run of the same target).</summary>
    private static void RecoverAndClean(string parent, string name, string full)
    {
        var mine = Directory.EnumerateDirectories(parent, $".{name}.sim-*")
            .Where(d => d.EndsWith(StagingSuffix, StringComparison.Ordinal) || d.EndsWith(RetiredSuffix, StringComparison.Ordinal))
            .Where(d => !WriterAlive(Path.GetFileName(d), name))
            .Order(StringComparer.Ordinal).ToList();
        foreach (var retired in mine.Where(d => d.EndsWith(RetiredSuffix, StringComparison.Ordinal)))
        {
            if (!Directory.Exists(full) && File.Exists(Path.Combine(retired, MarkerFile))) Directory.Move(retired, full);
            else TryDeleteTree(retired);
        }
        foreach (var staging in mine.Where(d => d.EndsWith(StagingSuffix, StringComparison.Ordinal))) TryDeleteTree(staging);
    }

    private static bool WriterAlive(string entry, string name)
    {
        // .NAME.sim-PID-GUID.staging
        string rest = entry[(name.Length + 6)..];
        int dash = rest.IndexOf('-');
        if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) return false;
        if (pid == Environment.ProcessId) return false;
        if (!OperatingSystem.IsLinux()) return true;
        return Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");
    }

    private static void TryDeleteTree(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
