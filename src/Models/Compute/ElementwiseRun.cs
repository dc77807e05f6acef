namespace Sim.Models.Compute;

/// <summary>
/// A run of adjacent memory-bound kernels (norms, activations, dropout, residual adds) fused into one
/// kernel, as a compiler such as torch.compile's TorchInductor does (Ansel et al., "PyTorch 2", ASPLOS
/// 2024: pointwise and reduction operations that follow one another are generated as one Triton kernel,
/// so intermediates stay in registers instead of going through HBM). Like a cook who chops, seasons and
/// stirs in one pass over the bowl instead of three. The fused kernel pays one launch instead of one per
/// kernel, and each kernel after the first no longer reads its input - the previous kernel's output -
/// from HBM: that read is half of a read-once, write-once kernel's traffic (<see cref="HandOffShare"/>).
/// The previous kernel's output is still written (later layers, the backward pass or a residual branch
/// need it), so only the read is saved. Kernels separated by a GEMM or attention kernel are never fused
/// (those are library kernels the compiler calls, not generates). A value type: accumulating a run
/// allocates nothing.
/// </summary>
public struct ElementwiseRun
{
    /// <summary>Share of a memory-bound kernel's traffic that is the read of its input: a norm, softmax
    /// or activation reads n bytes and writes n. (A dropout kernel also writes a 1-byte mask per element,
    /// so for it this share slightly overstates the read.)</summary>
    public const double HandOffShare = 0.5;

    private double _bytes;
    private int _kernels;

    /// <summary>Whether no kernel is waiting in the run.</summary>
    public readonly bool IsEmpty => _kernels == 0;

    /// <summary>Adds a kernel moving <paramref name="bytes"/> on its own; after the first kernel its input
    /// read is fused away. A kernel with no traffic (dropout switched off) is no kernel and is skipped.</summary>
    public void Add(double bytes)
    {
        if (bytes <= 0) return;
        _bytes += _kernels == 0 ? bytes : bytes * (1 - HandOffShare);
        _kernels++;
    }

    /// <summary>The fused kernel's HBM traffic; empties the run.</summary>
    public double Take()
    {
        double bytes = _bytes;
        _bytes = 0;
        _kernels = 0;
        return bytes;
    }
}
