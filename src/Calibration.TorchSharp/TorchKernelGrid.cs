using Sim.Calibration.Traces;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Calibration.TorchSharp;

/// <summary>One kernel of the grid at one size: what it is, the work it does and a call that runs it once
/// (returning the result tensor, which the caller disposes).</summary>
internal sealed record TorchKernel(string Op, string OpClass, WorkKind Work, long[][] Shapes, double Flops, double Bytes, Func<Tensor> Run);

/// <summary>
/// The kernel grid, the same operations, sizes, FLOP and byte counts as the Python profiler's
/// (sim_profile.py, kernel_grid), so profiles from both backends name the same operations and can be set
/// side by side: square matmuls 32..768, linear layers on 64 rows, 3x3 convolutions on 8x16x16 inputs,
/// elementwise add and relu on 1 Ki..4 Mi floats, softmax and layer norm over 256 columns, and (TorchSharp
/// only) scaled-dot-product attention with 4 heads of 32 over 16..512 tokens. Sizes are 1.5x to 2x apart so
/// held-out sizes lie between fitted ones. FLOPs count 2 per multiply-add; bytes are the float32 tensors read
/// and written once.
/// </summary>
internal static class TorchKernelGrid
{
    private const int F32 = 4;

    public static readonly int[] MatmulSizes = [32, 48, 64, 96, 128, 192, 256, 384, 512, 768];
    public static readonly (int In, int Out)[] ConvChannels = [(8, 8), (8, 16), (16, 16), (16, 32), (32, 32), (32, 64), (64, 64), (64, 128)];
    public static readonly int[] Rows = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
    public static readonly int[] Tokens = [16, 32, 64, 128, 256, 512];

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
        for (int k = 10; k <= 22; k++)
        {
            long n = 1L << k;
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
