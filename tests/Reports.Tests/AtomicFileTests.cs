using Sim.Core.Files;
using Sim.Scenarios.Tests.Fixtures;
namespace Sim.Reports.Tests;

public sealed class AtomicFileTests
{
    [Fact]
    public void A_failed_write_leaves_no_file_and_no_temporary()
    {
        using var folder = new TempFolder();
        string target = folder.Combine("out", "result.csv");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, stream =>
        {
            stream.Write(new byte[1000]);
            throw new InvalidOperationException("simulated crash midway");
        }));
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFiles(folder.Combine("out")));
    }

    [Fact]
    public void A_failed_overwrite_keeps_the_previous_contents()
    {
        using var folder = new TempFolder();
        string target = folder.Combine("summary.json");
        AtomicFile.WriteAllText(target, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(target, stream => { stream.WriteByte(1); throw new IOException("disk full"); }));
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal(["summary.json"], folder.ListFiles());
        AtomicFile.WriteAllText(target, "new");
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(["summary.json"], folder.ListFiles());
    }

    [Fact]
    public void Leftovers_of_a_killed_writer_are_recognised_and_removed()
    {
        using var folder = new TempFolder();
        string target = folder.Combine("run.json");
        File.WriteAllText(AtomicFile.TempPathFor(target), "half");
        File.WriteAllText(AtomicFile.TempPathFor(folder.Combine("other.json")), "someone else's");
        Assert.Equal(1, AtomicFile.DeleteLeftovers(target));
        Assert.Single(folder.ListFiles());
    }
}
