using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Calibration.TorchSharp;

/// <summary>
/// Counts the calls of one training step that <see cref="TorchHostCosts"/> charges, by running the step's forward
/// pass and loss inside a dispose scope of their own: every tensor an operator call creates through .NET joins
/// the scope, so the scope's size is the number of operator calls, and the tensors among them that require a
/// gradient are the ones autograd will run backward through. Parameters come from the module. What runs inside one
/// native call (a fused kernel, LibTorch's own composite operators) counts once: the count is of the calls that
/// pay .NET's and the dispatcher's price.
/// </summary>
internal static class TorchStepCounter
{
    public static TorchStepCounts Count(TorchSmallModel model, Tensor x, Tensor y)
    {
        var parameters = model.Module.parameters().ToList();
        using var scope = torch.NewDisposeScope();
        long before = DisposeScopeManager.Statistics.CreatedInScopeCount;
        var output = model.Module.forward(x);
        TorchSharpProfilerBackend.Loss(output, y);
        int calls = checked((int)(DisposeScopeManager.Statistics.CreatedInScopeCount - before));
        // Containers free intermediate activations as they go (Sequential does), so not every result is still in the
        // scope; those were all computed from parameters and recorded a node. Of the results still held, the ones
        // without a gradient (the targets' reshape) recorded none.
        int withoutGrad = scope.DisposablesView.OfType<Tensor>().Count(t => !t.requires_grad);
        return new TorchStepCounts(model.Name, calls, calls - withoutGrad, parameters.Count, parameters.Sum(p => p.numel()));
    }
}
