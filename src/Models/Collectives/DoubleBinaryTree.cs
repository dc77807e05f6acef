namespace Sim.Models.Collectives;

/// <summary>
/// The two complementary binary trees of NCCL's tree all-reduce, like two org charts for the same staff
/// in which whoever is a manager in one is a plain employee in the other. Tree A is built in-order over
/// ranks 0..p-1 with the rank divisible by the largest power of two as each subtree's root, so odd ranks
/// are always leaves (rank 0 is the root, with one child). Tree B mirrors A (r -> p-1-r) when p is even
/// and shifts it by one when p is odd, so A's leaves are B's inner nodes. Each tree carries half the data.
/// </summary>
public sealed class DoubleBinaryTree
{
    public DoubleBinaryTree(int p)
    {
        if (p < 1) throw new ArgumentOutOfRangeException(nameof(p), p, "must be >= 1");
        P = p;
        var a = new int[p];
        Array.Fill(a, -1);
        BuildInOrder(a, 1, p - 1, 0);
        ParentA = a;
        var b = new int[p];
        Func<int, int> map = p % 2 == 0 ? r => p - 1 - r : r => (r + 1) % p;
        Func<int, int> unmap = p % 2 == 0 ? r => p - 1 - r : r => (r - 1 + p) % p;
        for (int r = 0; r < p; r++)
        {
            int parentInA = a[map(r)];
            b[r] = parentInA < 0 ? -1 : unmap(parentInA);
        }
        ParentB = b;
        DepthA = Depth(a);
        DepthB = Depth(b);
        var links = new int[p];
        foreach (var parent in new[] { a, b })
            for (int r = 0; r < p; r++)
                if (parent[r] >= 0) { links[r]++; links[parent[r]]++; }
        MaxTreeLinksPerRank = p == 1 ? 0 : links.Max();
    }

    public int P { get; }
    /// <summary>Parent of each rank in tree A (-1 for the root).</summary>
    public IReadOnlyList<int> ParentA { get; }
    /// <summary>Parent of each rank in tree B (-1 for the root).</summary>
    public IReadOnlyList<int> ParentB { get; }
    /// <summary>Longest root-to-leaf path in edges.</summary>
    public int DepthA { get; }
    public int DepthB { get; }
    /// <summary>Largest number of tree edges (both trees together) incident to one rank.</summary>
    public int MaxTreeLinksPerRank { get; }

    /// <summary>Subtree over [lo, hi] hung under <paramref name="parent"/>, iteratively (p may be 10^5+).</summary>
    private static void BuildInOrder(int[] parent, int lo, int hi, int parentOfRange)
    {
        var stack = new Stack<(int lo, int hi, int parent)>();
        stack.Push((lo, hi, parentOfRange));
        while (stack.Count > 0)
        {
            var (l, h, par) = stack.Pop();
            if (l > h) continue;
            int root = RootOf(l, h);
            parent[root] = par;
            stack.Push((l, root - 1, root));
            stack.Push((root + 1, h, root));
        }
    }

    /// <summary>The number in [lo, hi] divisible by the largest power of two.</summary>
    private static int RootOf(int lo, int hi)
    {
        for (int bit = 1 << System.Numerics.BitOperations.Log2((uint)hi); bit >= 1; bit >>= 1)
        {
            int m = (lo + bit - 1) / bit * bit;
            if (m <= hi) return m;
        }
        return lo;
    }

    private static int Depth(int[] parent)
    {
        var depth = new int[parent.Length];
        Array.Fill(depth, -1);
        int max = 0;
        for (int r = 0; r < parent.Length; r++)
        {
            // Walk up until a rank with known depth; trees are shallow (log p).
            int d = 0, v = r;
            while (v >= 0 && depth[v] < 0) { v = parent[v]; d++; }
            int baseDepth = v < 0 ? -1 : depth[v];
            v = r;
            int k = baseDepth + d;
            while (v >= 0 && depth[v] < 0) { depth[v] = k--; v = parent[v]; }
            max = Math.Max(max, depth[r]);
        }
        return max;
    }
}
