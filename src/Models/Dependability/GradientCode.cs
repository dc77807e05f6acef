using MathNet.Numerics.LinearAlgebra;

namespace Sim.Models.Dependability;

/// <summary>
/// A gradient code (Tandon, Lei, Dimakis and Karampatziakis, "Gradient Coding: Avoiding Stragglers in
/// Distributed Learning", ICML 2017). The data is cut into n partitions; worker i computes the
/// gradients of the partitions in its support and sends one combination sum_j B[i, j] g_j. From the
/// messages of ANY n - s workers the master recovers the exact full gradient sum_j g_j as
/// sum_{i in S} a_i m_i, where a solves a^T B_S = 1^T. Each worker computes s + 1 partitions: the
/// price of tolerating s stragglers is an (s + 1)-fold compute load.
/// </summary>
public abstract class GradientCode
{
    protected GradientCode(int workers, int stragglers, string keyPath)
    {
        if (workers < 1) throw new DependabilitySettingException($"{keyPath}.workers", $"need at least 1 worker, got {workers}");
        if (stragglers < 0 || stragglers >= workers) throw new DependabilitySettingException($"{keyPath}.stragglers", $"must be in [0, workers - 1 = {workers - 1}], got {stragglers}");
        Workers = workers;
        Stragglers = stragglers;
        Encoding = new double[workers, workers];
    }

    /// <summary>n: workers, and data partitions.</summary>
    public int Workers { get; }
    /// <summary>s: stragglers tolerated.</summary>
    public int Stragglers { get; }
    /// <summary>Partitions each worker computes: s + 1.</summary>
    public int Load => Stragglers + 1;
    /// <summary>B: row i holds worker i's coefficient for each partition (zero outside its support).</summary>
    public double[,] Encoding { get; }

    /// <summary>Worker messages m_i = sum_j B[i, j] g_j from the partition gradients (one row each).</summary>
    public void Encode(GradientMatrix partitionGradients, GradientMatrix messages)
    {
        if (partitionGradients.Count != Workers || messages.Count != Workers || messages.Dimension != partitionGradients.Dimension)
            throw new ArgumentException($"need {Workers} partition gradients and {Workers} messages of equal dimension");
        for (int i = 0; i < Workers; i++)
        {
            var m = messages.Row(i);
            m.Clear();
            for (int j = 0; j < Workers; j++)
                if (Encoding[i, j] != 0) VectorMath.AddScaled(m, partitionGradients.Row(j), (float)Encoding[i, j]);
        }
    }

    /// <summary>The decoding vector a (one weight per survivor, in the order given) with a^T B_S = 1^T.</summary>
    /// <exception cref="InvalidOperationException">Fewer than n - s survivors, or (a bug) B_S does not span 1.</exception>
    public virtual double[] DecodingWeights(ReadOnlySpan<int> survivors)
    {
        if (survivors.Length < Workers - Stragglers)
            throw new InvalidOperationException($"{survivors.Length} survivors cannot decode a code for s = {Stragglers} stragglers among {Workers}; need {Workers - Stragglers}");
        // Least squares on B_S^T a = 1 (n equations, |S| unknowns), consistent by construction.
        var bt = Matrix<double>.Build.Dense(Workers, survivors.Length);
        for (int k = 0; k < survivors.Length; k++)
            for (int j = 0; j < Workers; j++) bt[j, k] = Encoding[survivors[k], j];
        var ones = Vector<double>.Build.Dense(Workers, 1.0);
        var a = bt.Svd().Solve(ones);
        double residual = (bt * a - ones).InfinityNorm();
        if (residual > 1e-8) throw new InvalidOperationException($"gradient code cannot decode from workers [{string.Join(", ", survivors.ToArray())}]: residual {residual:g3} (a bug in the code's construction)");
        return a.ToArray();
    }

    /// <summary>output = sum_k a_k m_{survivors[k]}: the full gradient sum_j g_j.</summary>
    public void Decode(GradientMatrix messages, ReadOnlySpan<int> survivors, Span<float> output)
    {
        var a = DecodingWeights(survivors);
        output.Clear();
        for (int k = 0; k < survivors.Length; k++)
            if (a[k] != 0) VectorMath.AddScaled(output, messages.Row(survivors[k]), (float)a[k]);
    }
}
