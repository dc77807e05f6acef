using System.Buffers.Binary;
using System.IO.Compression;

namespace Sim.Reports.Tests;

/// <summary>
/// A minimal PNG decoder (8-bit RGB/RGBA, not interlaced, as Chromium writes screenshots) so tests
/// can look at pixels without an imaging library. Follows the PNG specification: chunks, zlib-deflated
/// IDAT, and the five per-row filters (none, sub, up, average, Paeth).
/// </summary>
public sealed class PngImage
{
    public int Width { get; }
    public int Height { get; }
    private readonly byte[] _rgb;

    private PngImage(int width, int height, byte[] rgb) { Width = width; Height = height; _rgb = rgb; }

    public (byte R, byte G, byte B) Pixel(int x, int y) { int i = (y * Width + x) * 3; return (_rgb[i], _rgb[i + 1], _rgb[i + 2]); }

    public int DistinctColours() => Enumerable.Range(0, Width * Height).Select(i => (_rgb[3 * i] << 16) | (_rgb[3 * i + 1] << 8) | _rgb[3 * i + 2]).Distinct().Count();

    public int CountPixels(byte r, byte g, byte b) => Enumerable.Range(0, Width * Height).Count(i => _rgb[3 * i] == r && _rgb[3 * i + 1] == g && _rgb[3 * i + 2] == b);

    public static PngImage Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        byte[] signature = [137, 80, 78, 71, 13, 10, 26, 10];
        if (!bytes.AsSpan(0, 8).SequenceEqual(signature)) throw new InvalidDataException("not a PNG");
        int width = 0, height = 0, colourType = 0;
        using var idat = new MemoryStream();
        for (int at = 8; at < bytes.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[12] != 0) throw new InvalidDataException("only 8-bit non-interlaced PNGs");
                colourType = data[9];
                if (colourType is not (2 or 6)) throw new InvalidDataException($"colour type {colourType} not supported");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length;
        }
        int channels = colourType == 6 ? 4 : 3, stride = width * channels;
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        var previous = new byte[stride];
        var current = new byte[stride];
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            Array.Copy(raw, y * (stride + 1) + 1, current, 0, stride);
            for (int i = 0; i < stride; i++)
            {
                int left = i >= channels ? current[i - channels] : 0, up = previous[i], upLeft = i >= channels ? previous[i - channels] : 0;
                current[i] = (byte)(current[i] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"bad filter {filter}"),
                });
            }
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++) rgb[(y * width + x) * 3 + c] = current[x * channels + c];
            (previous, current) = (current, previous);
        }
        return new PngImage(width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
