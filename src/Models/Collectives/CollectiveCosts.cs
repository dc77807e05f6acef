namespace Sim.Models.Collectives;

/// <summary>
/// Closed-form alpha-beta costs of the collective algorithms, like a ready reckoner: alpha is the
/// latency of one message on a path (s), beta the time per byte on it (s/B, 1 / bottleneck bandwidth),
/// p the rank count, n the buffer bytes (as in <see cref="Collective.Bytes"/>). Each formula is the
/// cost of the corresponding lowering on uniform, uncontended paths; tests use them as oracles and the
/// analytical fast path uses them directly. References: Thakur, Rabenseifner and Gropp, "Optimization of
/// Collective Communication Operations in MPICH" (IJHPCA 2005); Patarasuk and Yuan, "Bandwidth optimal
/// all-reduce algorithms for clusters of workstations" (JPDC 2009); Sanders, Speck and Traeff, "Two-tree
/// algorithms for full bandwidth broadcast, reduction and scan" (Parallel Computing 2009).
/// </summary>
public static class CollectiveCosts
{
    /// <summary>Ring all-reduce: 2(p-1) alpha + 2(p-1)/p n beta.</summary>
    public static double RingAllReduce(int p, double n, double alpha, double beta) =>
        p <= 1 ? 0 : 2.0 * (p - 1) * alpha + 2.0 * (p - 1) / p * n * beta;

    /// <summary>Ring reduce-scatter or all-gather: (p-1) alpha + (p-1)/p n beta.</summary>
    public static double RingReduceScatter(int p, double n, double alpha, double beta) =>
        p <= 1 ? 0 : (p - 1) * alpha + (double)(p - 1) / p * n * beta;

    /// <summary>Ring all-gather: same cost as reduce-scatter (the data flow reversed).</summary>
    public static double RingAllGather(int p, double n, double alpha, double beta) => RingReduceScatter(p, n, alpha, beta);

    /// <summary>Recursive halving-doubling all-reduce: 2 log2(p) alpha + 2(p-1)/p n beta.</summary>
    public static double RhdAllReduce(int p, double n, double alpha, double beta) =>
        p <= 1 ? 0 : 2 * Math.Log2(p) * alpha + 2.0 * (p - 1) / p * n * beta;

    /// <summary>Recursive halving reduce-scatter or doubling all-gather: log2(p) alpha + (p-1)/p n beta.</summary>
    public static double RhdReduceScatter(int p, double n, double alpha, double beta) =>
        p <= 1 ? 0 : Math.Log2(p) * alpha + (double)(p - 1) / p * n * beta;

    /// <summary>
    /// Double-binary-tree all-reduce on a non-blocking switch: 2 D alpha + m (n/2) beta, where D is the
    /// deeper tree's depth and m the most tree edges at one rank (see <see cref="TreeAllReduce"/>).
    /// </summary>
    public static double TreeAllReduce(int p, double n, double alpha, double beta)
    {
        if (p <= 1) return 0;
        var t = new DoubleBinaryTree(p);
        return 2.0 * Math.Max(t.DepthA, t.DepthB) * alpha + t.MaxTreeLinksPerRank * (n / 2) * beta;
    }

    /// <summary>Pipelined chain broadcast with chunk c: (p-1)(alpha + c beta) + (k-1) alpha + (n-c) beta, k = ceil(n/c).</summary>
    public static double PipelinedBroadcast(int p, double n, double alpha, double beta, double chunkBytes = Collectives.PipelinedBroadcast.DefaultChunkBytes)
    {
        if (p <= 1) return 0;
        double c = Math.Min(chunkBytes, n);
        int k = n == 0 ? 1 : (int)Math.Ceiling(n / chunkBytes);
        return (p - 1) * (alpha + c * beta) + (k - 1) * alpha + (n - c) * beta;
    }

    /// <summary>All-to-all on a non-blocking switch, all pairs at once: alpha + (p-1)/p n beta.</summary>
    public static double AllToAll(int p, double n, double alpha, double beta) =>
        p <= 1 ? 0 : alpha + (double)(p - 1) / p * n * beta;

    /// <summary>All-to-all as p - 1 pairwise exchanges issued one after another on one path: each pays its
    /// latency, and a GPU's <paramref name="sendBytes"/> (its (p-1)/p share already taken out) cross the
    /// path once: (p-1) alpha + sendBytes beta. Expert-parallel dispatch/combine is costed this way.</summary>
    public static double PairwiseAllToAll(int p, double sendBytes, double alpha, double beta) =>
        p <= 1 || sendBytes <= 0 ? 0 : (p - 1) * alpha + sendBytes * beta;

    /// <summary>Point to point: alpha + n beta.</summary>
    public static double SendRecv(double n, double alpha, double beta) => alpha + n * beta;

    /// <summary>
    /// Hierarchical all-reduce over N nodes of G ranks: intra-node ring reduce-scatter and all-gather
    /// (alpha_i, beta_i) around an inter-node ring all-reduce of n/G per rail (alpha_e, beta_e).
    /// </summary>
    public static double HierarchicalAllReduce(int nodes, int gpusPerNode, double n, double alphaIntra, double betaIntra, double alphaInter, double betaInter) =>
        2 * RingReduceScatter(gpusPerNode, n, alphaIntra, betaIntra) + RingAllReduce(nodes, n / gpusPerNode, alphaInter, betaInter);
}
