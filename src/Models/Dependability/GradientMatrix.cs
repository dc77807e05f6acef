namespace Sim.Models.Dependability;

/// <summary>
/// The gradients of one round: <see cref="Count"/> workers' vectors of <see cref="Dimension"/> floats,
/// stored row after row in one array so that aggregators stream through memory and nothing is
/// allocated per round. fp32, the precision in which data-parallel frameworks reduce gradients.
/// </summary>
public sealed class GradientMatrix
{
    private readonly float[] _data;

    /// <summary>A zeroed matrix of <paramref name="count"/> rows of <paramref name="dimension"/> floats.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count or dimension below 1, or count x dimension over 2^31 - 1.</exception>
    public GradientMatrix(int count, int dimension)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one gradient");
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "need at least one coordinate");
        long size = (long)count * dimension;
        if (size > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(dimension), $"{count} x {dimension} floats do not fit one array");
        Count = count;
        Dimension = dimension;
        _data = new float[size];
    }

    /// <summary>A matrix holding copies of <paramref name="rows"/>, which must all have the same length.</summary>
    public static GradientMatrix From(params float[][] rows)
    {
        if (rows.Length == 0) throw new ArgumentException("need at least one gradient", nameof(rows));
        var m = new GradientMatrix(rows.Length, rows[0].Length);
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != m.Dimension) throw new ArgumentException($"row {i} has {rows[i].Length} coordinates, row 0 has {m.Dimension}", nameof(rows));
            rows[i].CopyTo(m.Row(i));
        }
        return m;
    }

    public int Count { get; }
    public int Dimension { get; }

    /// <summary>Worker <paramref name="i"/>'s gradient, writable in place.</summary>
    public Span<float> Row(int i) => _data.AsSpan(checked(i * Dimension), Dimension);

    /// <summary>All rows, row after row.</summary>
    public Span<float> All => _data;

    public float this[int row, int column]
    {
        get => _data[(long)row * Dimension + column];
        set => _data[(long)row * Dimension + column] = value;
    }

    public void CopyTo(GradientMatrix other)
    {
        if (other.Count != Count || other.Dimension != Dimension) throw new ArgumentException($"shape {other.Count}x{other.Dimension} differs from {Count}x{Dimension}", nameof(other));
        _data.AsSpan().CopyTo(other._data);
    }
}
