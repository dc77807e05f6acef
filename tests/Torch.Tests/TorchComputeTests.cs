using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Torch.Tests;

/// <summary>TorchSharp loads on this machine (Debian 12 included) and computes the right numbers.</summary>
public class TorchComputeTests
{
    [Fact]
    public void MatmulMatchesHandComputedProduct()
    {
        if (!TorchAvailability.Require(threads: 1)) return;
        using var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        using var b = tensor(new float[] { 7, 8, 9, 10, 11, 12 }, new long[] { 3, 2 });
        using var c = matmul(a, b);
        // [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154]
        Assert.Equal(new long[] { 2, 2 }, c.shape);
        Assert.Equal(new float[] { 58, 64, 139, 154 }, c.data<float>().ToArray());
    }

    [Fact]
    public void LargeMatmulAgreesWithManagedReference()
    {
        if (!TorchAvailability.Require(threads: 1)) return;
        const int n = 64;
        var rng = new Random(7);
        float[] x = Enumerable.Range(0, n * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        float[] y = Enumerable.Range(0, n * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        using var tx = tensor(x, new long[] { n, n });
        using var ty = tensor(y, new long[] { n, n });
        float[] got = matmul(tx, ty).data<float>().ToArray();
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
        {
            double expected = 0;
            for (int k = 0; k < n; k++) expected += (double)x[i * n + k] * y[k * n + j];
            Assert.InRange(got[i * n + j], expected - 1e-4, expected + 1e-4);
        }
    }

    [Fact]
    public void AutogradGivesAnalyticGradientAndSgdStepMovesWeights()
    {
        if (!TorchAvailability.Require(threads: 1)) return;
        // loss = sum((W x - t)^2); dL/dW = 2 (W x - t) x^T.
        using var w = nn.Parameter(tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 }));
        using var x = tensor(new float[] { 1, -1 }, new long[] { 2, 1 });
        using var t = tensor(new float[] { 0, 0 }, new long[] { 2, 1 });
        using var loss = (matmul(w, x) - t).pow(2).sum();
        loss.backward();
        // W x = [-1; -1]; residual r = [-1; -1]; grad = 2 r x^T = [-2 2; -2 2]; loss = 2.
        Assert.Equal(2f, loss.item<float>());
        Assert.Equal(new float[] { -2, 2, -2, 2 }, w.grad!.data<float>().ToArray());

        using var sgd = optim.SGD(new[] { w }, learningRate: 0.5);
        sgd.step();
        Assert.False(w.grad is null);
        // w - 0.5 * grad = [2 1; 4 3]
        Assert.Equal(new float[] { 2, 1, 4, 3 }, w.data<float>().ToArray());
    }

    [Fact]
    public void ThreadCountIsApplied()
    {
        if (!TorchAvailability.Require(threads: 1)) return;
        Assert.Equal(1, get_num_threads());
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.EnsureAvailable(0));
    }
}
