// Marks libLibTorchSharp.so's GLIBCXX_3.4.32 version requirement weak so the library loads on Debian 12.
//
// Why: TorchSharp 0.107.0's native wrapper is linked with GCC 13, whose <iostream> references the marker
// symbol `_ZSt21ios_base_library_initv` (version GLIBCXX_3.4.32) only so that binaries demand a libstdc++
// at least that new. Nothing calls it. Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so the dynamic loader
// refuses the whole library. Setting VER_FLG_WEAK (0x2) in that one Vernaux entry of `.gnu.version_r` turns
// the hard failure into a loader warning; every other requirement stays strict.
//
// Safety: the entry is only marked when every dynamic symbol bound to that version is a known marker
// (a future wrapper that really calls a 3.4.32 function is left alone and reported), and only when the
// system libstdc++ lacks the version. Idempotent: an entry already weak is reported as such, unchanged.
//
// This one file serves two masters: Directory.Build.targets compiles it as an MSBuild inline task (the
// class at the bottom), and Sim.Torch compiles it (with SIM_TORCH_RUNTIME defined) so TorchRuntime can say
// exactly why a load failed. It therefore sticks to netstandard2.0 APIs and reads bytes by hand.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Sim.Torch.Build
{
    /// <summary>State of one library's GLIBCXX_3.4.32 requirement, as read from its ELF version tables.</summary>
    public enum GlibcxxMarkerState
    {
        /// <summary>The library does not require the version at all: nothing to do.</summary>
        NotRequired,
        /// <summary>Required, not weak, and only marker symbols use it: safe to mark weak.</summary>
        StrictMarkerOnly,
        /// <summary>Already marked weak (a previous build did it).</summary>
        AlreadyWeak,
        /// <summary>Required by symbols other than the marker: marking it weak could break calls, so it is left alone.</summary>
        UsedByRealSymbols,
    }

    /// <summary>Reads and edits the GNU symbol-versioning tables of a little-endian ELF64 shared library.</summary>
    /// <remarks>Throws <see cref="InvalidDataException"/> when the file is not an ELF64 little-endian object or
    /// its version tables are malformed; never edits anything before the whole structure was read.</remarks>
    public static class GlibcxxMarkerFix
    {
        /// <summary>The version the GCC 13 iostream marker pulls in.</summary>
        public const string MarkerVersion = "GLIBCXX_3.4.32";

        /// <summary>Symbols known to be link-time markers only (never called at run time).</summary>
        public static readonly string[] MarkerSymbols = { "_ZSt21ios_base_library_initv" };

        const uint ShtDynsym = 11, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
        const ushort VerFlagWeak = 0x2;

        /// <summary>Classifies the library's requirement of <see cref="MarkerVersion"/>.</summary>
        public static GlibcxxMarkerState Inspect(string libraryPath)
        {
            long flagsOffset;
            return Inspect(File.ReadAllBytes(libraryPath), out flagsOffset);
        }

        /// <summary>Marks the requirement weak when <see cref="Inspect(string)"/> says it is safe; returns the state
        /// found before the edit. Writes exactly two bytes in place.</summary>
        public static GlibcxxMarkerState MarkWeak(string libraryPath)
        {
            long flagsOffset;
            byte[] image = File.ReadAllBytes(libraryPath);
            GlibcxxMarkerState state = Inspect(image, out flagsOffset);
            if (state != GlibcxxMarkerState.StrictMarkerOnly) return state;
            ushort flags = (ushort)(U16(image, flagsOffset) | VerFlagWeak);
            using (var stream = new FileStream(libraryPath, FileMode.Open, FileAccess.Write, FileShare.Read))
            {
                stream.Seek(flagsOffset, SeekOrigin.Begin);
                stream.WriteByte((byte)(flags & 0xff));
                stream.WriteByte((byte)(flags >> 8));
            }
            return state;
        }

        /// <summary>True when a libstdc++ with <see cref="MarkerVersion"/> is installed where the loader looks
        /// first; false when the ones found lack it. Null when no libstdc++ was found at all.</summary>
        public static bool? SystemLibstdcxxHasMarkerVersion()
        {
            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6",
                "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            };
            byte[] needle = Encoding.ASCII.GetBytes(MarkerVersion + "\0");
            foreach (string candidate in candidates)
            {
                if (!File.Exists(candidate)) continue;
                return IndexOf(File.ReadAllBytes(candidate), needle) >= 0;
            }
            return null;
        }

        static GlibcxxMarkerState Inspect(byte[] image, out long flagsOffset)
        {
            flagsOffset = -1;
            if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (image[4] != 2 || image[5] != 1)
                throw new InvalidDataException("not a little-endian ELF64 file");
            long sectionTable = (long)U64(image, 0x28);
            int sectionSize = U16(image, 0x3A), sectionCount = U16(image, 0x3C);
            Check(sectionSize >= 64 && sectionTable + (long)sectionSize * sectionCount <= image.Length, "section table out of range");

            int verneed = -1, versym = -1, dynsym = -1;
            for (int i = 0; i < sectionCount; i++)
            {
                uint type = U32(image, sectionTable + (long)i * sectionSize + 4);
                if (type == ShtGnuVerneed) verneed = i;
                else if (type == ShtGnuVersym) versym = i;
                else if (type == ShtDynsym) dynsym = i;
            }
            if (verneed < 0) return GlibcxxMarkerState.NotRequired;

            Section need = ReadSection(image, sectionTable, sectionSize, verneed);
            Section needStrings = ReadSection(image, sectionTable, sectionSize, (int)need.Link);
            int versionIndex = -1;
            bool weak = false;
            long record = need.Offset;
            for (uint n = 0; n < need.Info; n++)
            {
                Check(record + 16 <= need.Offset + need.Size, "Verneed record out of range");
                int auxCount = U16(image, record + 2);
                long aux = record + U32(image, record + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    Check(aux + 16 <= need.Offset + need.Size, "Vernaux record out of range");
                    string name = CString(image, needStrings, U32(image, aux + 8));
                    if (name == MarkerVersion)
                    {
                        flagsOffset = aux + 4;
                        weak = (U16(image, aux + 4) & VerFlagWeak) != 0;
                        versionIndex = U16(image, aux + 6) & 0x7fff;
                    }
                    uint nextAux = U32(image, aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = U32(image, record + 12);
                if (next == 0) break;
                record += next;
            }
            if (versionIndex < 0) return GlibcxxMarkerState.NotRequired;
            if (weak) return GlibcxxMarkerState.AlreadyWeak;
            Check(versym >= 0 && dynsym >= 0, "versioned library without .dynsym/.gnu.version");

            Section symbols = ReadSection(image, sectionTable, sectionSize, dynsym);
            Section symbolStrings = ReadSection(image, sectionTable, sectionSize, (int)symbols.Link);
            Section versions = ReadSection(image, sectionTable, sectionSize, versym);
            long count = symbols.Size / 24;
            Check(versions.Size >= count * 2, ".gnu.version shorter than .dynsym");
            for (long s = 0; s < count; s++)
            {
                if ((U16(image, versions.Offset + s * 2) & 0x7fff) != versionIndex) continue;
                string name = CString(image, symbolStrings, U32(image, symbols.Offset + s * 24));
                if (Array.IndexOf(MarkerSymbols, name) < 0) return GlibcxxMarkerState.UsedByRealSymbols;
            }
            return GlibcxxMarkerState.StrictMarkerOnly;
        }

        struct Section { public long Offset; public long Size; public uint Link; public uint Info; }

        static Section ReadSection(byte[] image, long table, int entrySize, int index)
        {
            long header = table + (long)index * entrySize;
            Check(index >= 0 && header + 64 <= image.Length, "section index out of range");
            var section = new Section
            {
                Offset = (long)U64(image, header + 0x18), Size = (long)U64(image, header + 0x20),
                Link = U32(image, header + 0x28), Info = U32(image, header + 0x2C),
            };
            Check(section.Offset >= 0 && section.Size >= 0 && section.Offset + section.Size <= image.Length, "section out of range");
            return section;
        }

        static string CString(byte[] image, Section strings, uint offset)
        {
            Check(offset < strings.Size, "string offset out of range");
            long start = strings.Offset + offset, end = start;
            long limit = strings.Offset + strings.Size;
            while (end < limit && image[end] != 0) end++;
            return Encoding.ASCII.GetString(image, (int)start, (int)(end - start));
        }

        static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                if (haystack[i] != needle[0]) continue;
                int j = 1;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }

        static void Check(bool condition, string what)
        {
            if (!condition) throw new InvalidDataException("malformed ELF version tables: " + what);
        }

        static ushort U16(byte[] b, long o) { Check(o + 2 <= b.Length, "read past end"); return (ushort)(b[o] | b[o + 1] << 8); }
        static uint U32(byte[] b, long o) { Check(o + 4 <= b.Length, "read past end"); return (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24); }
        static ulong U64(byte[] b, long o) { return U32(b, o) | (ulong)U32(b, o + 4) << 32; }
    }

#if !SIM_TORCH_RUNTIME
    /// <summary>MSBuild task: applies <see cref="GlibcxxMarkerFix.MarkWeak"/> to each given library when the
    /// system libstdc++ lacks the marker version. Logs one line per library; a library whose requirement is
    /// used by real symbols gets a warning and stays untouched (TorchRuntime then reports the load failure).</summary>
    public class MarkGlibcxxMarkerWeak : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; }

        public override bool Execute()
        {
            bool? systemHasIt = GlibcxxMarkerFix.SystemLibstdcxxHasMarkerVersion();
            if (systemHasIt != false)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    systemHasIt == true ? "libstdc++ provides " + GlibcxxMarkerFix.MarkerVersion + ": libLibTorchSharp.so left as shipped"
                                        : "no system libstdc++ found: libLibTorchSharp.so left as shipped");
                return true;
            }
            foreach (Microsoft.Build.Framework.ITaskItem item in Libraries)
            {
                string path = item.ItemSpec;
                try
                {
                    GlibcxxMarkerState before = GlibcxxMarkerFix.MarkWeak(path);
                    if (before == GlibcxxMarkerState.StrictMarkerOnly)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "marked " + GlibcxxMarkerFix.MarkerVersion + " weak in " + path);
                    else if (before == GlibcxxMarkerState.UsedByRealSymbols)
                        Log.LogWarning(path + " uses " + GlibcxxMarkerFix.MarkerVersion + " for symbols other than the iostream marker; not patched, torch will not load with this system libstdc++");
                }
                catch (InvalidDataException e)
                {
                    Log.LogWarning("cannot read the ELF version tables of " + path + " (" + e.Message + "); not patched");
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    Log.LogError("cannot patch " + path + ": " + e.Message);
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
