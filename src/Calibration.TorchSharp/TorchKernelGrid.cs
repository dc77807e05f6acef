using Sim.Calibration.Traces;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Calibration.TorchSharp;

/// <summary>One kernel of the grid at one size: what it is, the work it does and a call that runs it once
/// (returning the result tensor, which the caller disposes).</summary>
internal sealed record TorchKernel(string Op, string OpClass, WorkKind Work, long[][] Shapes, double Flops, double Bytes, Func<Tensor> Run);

/// <summary>
/// The kernel grid: the Python profiler's operations, sizes, FLOP and byte counts (sim_profile.py, kernel_grid),
/// so profiles from both backends name the same operations and can be set side by side at the sizes they share,
/// plus sizes between them: square matmuls 32..768 and linear layers on 64 rows (sizes 1.5x and 1.33x apart),
/// 3x3 convolutions on 8x16x16 inputs, elementwise add and relu on 1 Ki..4 Mi floats, softmax and layer norm over
/// 256 columns, and (TorchSharp only) scaled-dot-product attention with 4 heads of 32 over 16..512 tokens; where
/// the Python grid doubles, this one also measures 1.5x the size between. Closer sizes make the held-out check
/// (every other size predicted from its neighbours) measure the curve between neighbours 1.5x apart rather than
/// 4x apart, as a simulated layer's size lies anywhere between grid points. FLOPs count 2 per multiply-add; bytes
/// are the float32 tensors read and written once.
/// </summary>
internal static class TorchKernelGrid
{
    private const int F32 = 4;

    public static readonly int[] MatmulSizes = [32, 48, 64, 96, 128, 192, 256, 384, 512, 768];
    public static readonly (int In, int Out)[] ConvChannels = [(8, 8), (8, 12), (8, 16), (16, 16), (16, 24), (16, 32), (32, 32), (32, 48), (32, 64), (64, 64), (64, 96), (64, 128)];
    public static readonly int[] Rows = [16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096];
    /// <summary>1 Ki..4 Mi floats: the powers of two and 1.5x each between them.</summary>
    public static readonly long[] ElementCounts = Enumerable.Range(10, 13).SelectMany(k => k < 22 ? new[] { 1L << k, 3L << (k - 1) } : [1L << k]).ToArray();
    public static readonly int[] Tokens = [16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];

    /// <summary>Builds every kernel's inputs (seeded) and returns the grid; the caller owns and disposes <paramref name="keep"/>.</summary>
    public static IReadOnlyList<TorchKernel> Build(List<IDisposable> keep)
    {
        torch.manual_seed(0);
        var grid = new List<TorchKernel>();
        T Keep<T>(T d) where T : IDisposable { keep.Add(d); return d; }

        foreach (int n in MatmulSizes)
        {
            var a = Keep(randn(n, n)); var w = Keep(randn(n, n));
            grid.Add(new("aten::mm", "matmul", WorkKind.Flops, [[n, n], [n, n]], 2.0 * n * n * n, 3.0 * n * n * F32, () => matmul(a, w)));
        }
        foreach (int n in MatmulSizes)
        {
            var x = Keep(randn(64, n)); var lin = Keep(nn.Linear(n, n));
            grid.Add(new("aten::linear", "matmul", WorkKind.Flops, [[64, n], [n, n]], 2.0 * 64 * n * n, (2.0 * 64 * n + (double)n * n) * F32, () => lin.forward(x)));
        }
        foreach (var (cin, cout) in ConvChannels)
        {
            var x = Keep(randn(8, cin, 16, 16)); var conv = Keep(nn.Conv2d(cin, cout, 3, padding: 1));
            double flops = 2.0 * 8 * cout * 16 * 16 * cin * 9;
            double bytes = (8.0 * cin * 256 + 8.0 * cout * 256 + (double)cout * cin * 9) * F32;
            grid.Add(new("aten::conv2d", "conv2d", WorkKind.Flops, [[8, cin, 16, 16], [cout, cin, 3, 3]], flops, bytes, () => conv.forward(x)));
        }
        foreach (long n in ElementCounts)
        {
            var x = Keep(randn(n)); var y = Keep(randn(n));
            grid.Add(new("aten::add", "elementwise", WorkKind.Bytes, [[n], [n]], n, 3.0 * n * F32, () => add(x, y)));
            grid.Add(new("aten::relu", "elementwise", WorkKind.Bytes, [[n]], n, 2.0 * n * F32, () => x.relu()));
        }
        foreach (int r in Rows)
        {
            var x = Keep(randn(r, 256)); var ln = Keep(nn.LayerNorm(256));
            grid.Add(new("aten::softmax", "softmax", WorkKind.Bytes, [[r, 256]], 5.0 * r * 256, 2.0 * r * 256 * F32, () => x.softmax(-1)));
            grid.Add(new("aten::layer_norm", "layernorm", WorkKind.Bytes, [[r, 256]], 8.0 * r * 256, 2.0 * r * 256 * F32, () => ln.forward(x)));
        }
        foreach (int s in Tokens)
        {
            // batch 1, 4 heads of 32: scores (s x s per head) and the weighted sum, 2 x 2 s^2 d FLOPs in all
            var q = Keep(randn(1, 4, s, 32)); var kk = Keep(randn(1, 4, s, 32)); var v = Keep(randn(1, 4, s, 32));
            double flops = 2.0 * 2 * 4 * s * (double)s * 32;
            double bytes = 4.0 * 4 * s * 32 * F32;
            grid.Add(new("aten::scaled_dot_product_attention", "attention", WorkKind.Flops, [[1, 4, s, 32], [1, 4, s, 32], [1, 4, s, 32]], flops, bytes,
                () => nn.functional.scaled_dot_product_attention(q, kk, v)));
        }
        return grid;
    }
}
