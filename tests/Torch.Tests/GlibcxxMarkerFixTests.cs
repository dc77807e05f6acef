using Sim.Torch.Build;

namespace Sim.Torch.Tests;

/// <summary>The ELF edit that makes libLibTorchSharp.so load on Debian 12: it finds exactly the marker's
/// version requirement, flips only its weak bit, is idempotent, and rejects files that are not ELF64.</summary>
public class GlibcxxMarkerFixTests
{
    static string? ShippedWrapper()
    {
        // The untouched copy in the NuGet cache (the build never edits it).
        string home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                      ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        return File.Exists(path) ? path : null;
    }

    [Fact]
    public void ShippedWrapperNeedsTheVersionOnlyForTheMarkerAndPatchingFlipsOneBitIdempotently()
    {
        string? shipped = ShippedWrapper();
        if (shipped is null)
        {
            Assert.False(TorchAvailability.InCi, "CI=true but the TorchSharp 0.107.0 package is not in the NuGet cache");
            return;
        }
        Assert.Equal(GlibcxxMarkerState.StrictMarkerOnly, GlibcxxMarkerFix.Inspect(shipped));

        string copy = Path.Combine(Path.GetTempPath(), $"sim-libtorchsharp-{Guid.NewGuid():N}.so");
        File.Copy(shipped, copy);
        try
        {
            Assert.Equal(GlibcxxMarkerState.StrictMarkerOnly, GlibcxxMarkerFix.MarkWeak(copy));
            Assert.Equal(GlibcxxMarkerState.AlreadyWeak, GlibcxxMarkerFix.Inspect(copy));
            Assert.Equal(GlibcxxMarkerState.AlreadyWeak, GlibcxxMarkerFix.MarkWeak(copy));

            byte[] before = File.ReadAllBytes(shipped), after = File.ReadAllBytes(copy);
            Assert.Equal(before.Length, after.Length);
            int[] changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
            int only = Assert.Single(changed);
            Assert.Equal(0x2, before[only] ^ after[only]); // VER_FLG_WEAK, nothing else
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void BuildOutputCopyIsPatchedExactlyWhenTheSystemLibstdcxxLacksTheVersion()
    {
        string? wrapper = TorchRuntime.WrapperLibraryPath();
        Assert.NotNull(wrapper);
        GlibcxxMarkerState state = GlibcxxMarkerFix.Inspect(wrapper!);
        if (GlibcxxMarkerFix.SystemLibstdcxxHasMarkerVersion() == false)
            Assert.Equal(GlibcxxMarkerState.AlreadyWeak, state);
        else
            Assert.Equal(GlibcxxMarkerState.StrictMarkerOnly, state);
    }

    [Fact]
    public void NonElfAndTruncatedFilesAreRejectedNotEdited()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sim-not-elf-{Guid.NewGuid():N}.so");
        try
        {
            File.WriteAllBytes(path, System.Text.Encoding.ASCII.GetBytes("#!/bin/sh\necho not a library\n"));
            Assert.Throws<InvalidDataException>(() => GlibcxxMarkerFix.MarkWeak(path));

            // A valid ELF64 header whose section table points past the end of the file.
            byte[] header = new byte[64];
            header[0] = 0x7f; header[1] = (byte)'E'; header[2] = (byte)'L'; header[3] = (byte)'F';
            header[4] = 2; header[5] = 1;
            header[0x28] = 0x00; header[0x29] = 0x10;       // e_shoff = 4096
            header[0x3A] = 64; header[0x3C] = 3;            // 3 entries of 64 bytes
            File.WriteAllBytes(path, header);
            byte[] before = File.ReadAllBytes(path);
            Assert.Throws<InvalidDataException>(() => GlibcxxMarkerFix.MarkWeak(path));
            Assert.Equal(before, File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
