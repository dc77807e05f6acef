namespace Sim.Models.Dependability;

/// <summary>
/// Walks the coordinates of a set of rows as sorted columns: for each coordinate j, the values
/// x_r[j] of the chosen rows in ascending order. Coordinates are gathered in tiles of
/// <see cref="Tile"/> so that each row is read sequentially (one cache line serves 16 coordinates)
/// instead of striding across rows per coordinate. Sorting is the O(n log n) per coordinate that
/// makes median-type rules O(n d log n).
/// </summary>
internal sealed class CoordinateColumns
{
    /// <summary>Coordinates per tile: 256 floats are 1 KiB per row, so a tile of 512 rows (512 KiB)
    /// stays within a typical L2 cache.</summary>
    public const int Tile = 256;

    private readonly float[] _tile;
    private readonly int _maxRows;

    public CoordinateColumns(int maxRows)
    {
        _maxRows = maxRows;
        _tile = new float[maxRows * Tile];
    }

    /// <summary>A reduction of one sorted column to one value.</summary>
    public delegate float Reducer<TState>(ReadOnlySpan<float> sortedColumn, ref TState state);

    /// <summary>output[j] = reduce(sorted column j of the given rows) for every coordinate j.</summary>
    public void Reduce<TState>(GradientMatrix inputs, ReadOnlySpan<int> rows, Span<float> output, Reducer<TState> reduce, ref TState state)
    {
        int m = rows.Length;
        if (m > _maxRows) throw new ArgumentException($"{m} rows exceed the {_maxRows} this buffer was built for");
        int d = inputs.Dimension;
        for (int start = 0; start < d; start += Tile)
        {
            int width = Math.Min(Tile, d - start);
            // Transpose the tile: column c of the tile occupies _tile[c*m .. c*m + m).
            for (int k = 0; k < m; k++)
            {
                var src = inputs.Row(rows[k]).Slice(start, width);
                for (int c = 0; c < width; c++) _tile[c * m + k] = src[c];
            }
            for (int c = 0; c < width; c++)
            {
                var column = _tile.AsSpan(c * m, m);
                column.Sort();
                output[start + c] = reduce(column, ref state);
            }
        }
    }

    /// <summary>Median of a sorted column: the middle value, or the mean of the two middle values
    /// when the count is even (the convention of numpy.median).</summary>
    public static float Median(ReadOnlySpan<float> sorted)
    {
        int m = sorted.Length;
        return (m & 1) == 1 ? sorted[m / 2] : (float)(((double)sorted[m / 2 - 1] + sorted[m / 2]) / 2);
    }

    /// <summary>Row indices 0..n-1 in a fresh array (built once per aggregator).</summary>
    public static int[] Identity(int n)
    {
        var r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
