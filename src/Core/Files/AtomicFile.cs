namespace Sim.Core.Files;

/// <summary>
/// Writes a file all-or-nothing, like a notary who only files a finished, signed document: the bytes
/// go to a hidden temporary file in the same folder, which is flushed to disk and then renamed over
/// the target (a rename within one file system is atomic). A crash or an exception midway leaves the
/// old file (or no file) and no temporary behind, so readers never see half a result.
/// </summary>
public static class AtomicFile
{
    /// <summary>Marks temporary files so that cleanup code can recognise this writer's leftovers.</summary>
    public const string TempSuffix = ".partial";

    public static void WriteAllText(string path, string contents) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(contents);
        });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> contents)
    {
        var copy = contents.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Runs <paramref name="write"/> against a temporary file, then moves it into place.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temp = TempPathFor(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>A fresh hidden name next to the target: <c>.NAME.RANDOM.partial</c>.</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");

    /// <summary>Deletes temporaries a killed process left for <paramref name="path"/>; returns how many.</summary>
    public static int DeleteLeftovers(string path)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory)) return 0;
        int deleted = 0;
        foreach (var leftover in Directory.EnumerateFiles(directory, $".{Path.GetFileName(path)}.*{TempSuffix}"))
            if (TryDelete(leftover)) deleted++;
        return deleted;
    }

    private static bool TryDelete(string file)
    {
        try { File.Delete(file); return true; }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
