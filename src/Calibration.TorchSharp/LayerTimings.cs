using Sim.Calibration.Traces;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Calibration.TorchSharp;

/// <summary>
/// Forward and backward time of each top-level layer of a model, for the layer-wise workload the simulator
/// builds. Each layer is timed alone on the activation the layers before it produced (computed once without
/// gradients): forward is the layer's call; backward is autograd from a gradient of ones at its output back
/// to its parameters (and to its input, except for the first layer, whose input needs no gradient in training,
/// as in a real step). Medians over repeats. The sum over layers differs from a whole step by the loss, the
/// optimizer and per-step dispatch, which the step timings include.
/// </summary>
internal static class LayerTimings
{
    public static IReadOnlyList<LayerMeasurement> Measure(TorchSmallModel model, Tensor x, Tensor y, ProfilerClock clock, int repeats, CancellationToken cancellation)
    {
        int n = model.Layers.Count;
        var inputs = new Tensor[n];
        var outputBytes = new long[n];
        using (torch.no_grad())
        {
            Tensor act = x;
            for (int i = 0; i < n; i++)
            {
                if (model.BetweenLayers is { } glue) act = glue(i, act);
                inputs[i] = act.detach().clone();
                act = model.Layers[i].Forward(act);
                outputBytes[i] = act.numel() * act.element_size();
            }
        }
        try
        {
            var result = new List<LayerMeasurement>(n);
            double totalFlops = model.ForwardFlops((int)x.shape[0]);
            for (int i = 0; i < n; i++)
            {
                var layer = model.Layers[i];
                var forward = new List<double>(repeats);
                var backward = new List<double>(repeats);
                bool inputNeedsGrad = i > 0 && inputs[i].is_floating_point();
                for (int r = -2; r < repeats; r++) // two warm-up rounds
                {
                    cancellation.ThrowIfCancellationRequested();
                    using var scope = torch.NewDisposeScope();
                    var input = inputNeedsGrad ? inputs[i].detach().requires_grad_(true) : inputs[i];
                    double t0 = clock.Now();
                    var output = layer.Forward(input);
                    double t1 = clock.Now();
                    var seed = ones_like(output);
                    double t2 = clock.Now();
                    torch.autograd.backward([output], [seed]);
                    double t3 = clock.Now();
                    layer.Module.zero_grad();
                    if (r < 0) continue;
                    forward.Add(t1 - t0);
                    backward.Add(t3 - t2);
                }
                long parameters = layer.Module.parameters().Sum(p => p.numel());
                result.Add(new LayerMeasurement(layer.Name, layer.Kind, LayerFlops(model.Name, layer.Name, (int)x.shape[0], totalFlops), parameters,
                    outputBytes[i], TorchSharpProfilerBackend.Median(forward), TorchSharpProfilerBackend.Median(backward)));
            }
            return result;
        }
        finally
        {
            foreach (var t in inputs) if (!ReferenceEquals(t, x)) t?.Dispose();
        }
    }

    /// <summary>Forward FLOPs of one top-level layer (2 per multiply-add), as the Python profiler's hooks attribute them.</summary>
    private static double LayerFlops(string model, string layer, int batch, double total) => (model, layer) switch
    {
        ("mlp", "0") => 2.0 * batch * 256 * 512,
        ("mlp", "2") => 2.0 * batch * 512 * 512,
        ("mlp", "4") => 2.0 * batch * 512 * 10,
        ("mlp", _) => 0,
        ("cnn", "stem") => 2.0 * batch * 16 * 256 * 3 * 9,
        ("cnn", "layer1") => 2.0 * batch * 2 * 16 * 256 * 16 * 9,
        ("cnn", "layer2") => 2.0 * batch * (32 * 64 * 16 * 9 + 32 * 64 * 32 * 9 + 32 * 64 * 16),
        ("cnn", "head") => 2.0 * batch * 10 * 32,
        ("transformer", "embed") => 0,
        ("transformer", "head") => 2.0 * batch * TorchSmallModels.Sequence * TorchSmallModels.ModelWidth * TorchSmallModels.Vocabulary,
        ("transformer", "block") => total - 2.0 * batch * TorchSmallModels.Sequence * TorchSmallModels.ModelWidth * TorchSmallModels.Vocabulary,
        _ => 0,
    };
}
