namespace Sim.Models.Training;

/// <summary>Which framework's per-parameter passes an iteration pays besides the layers' kernels (<see cref="PyTorchParameterPasses"/>).</summary>
public enum ParameterPassKind
{
    /// <summary>None simulated.</summary>
    None,
    /// <summary>PyTorch eager: AccumulateGrad into kept gradients, and DDP's bucket copies on more than one worker.</summary>
    PyTorch,
    /// <summary>As <see cref="PyTorch"/>, plus autocast's casts of convolution and linear parameters to FP16 and back.</summary>
    PyTorchAutocast,
}
