namespace Sim.Models.Training.Pipeline;

/// <summary>
/// One device's queue of ZeRO-3 / FSDP collectives waiting for its communication stream: the parameter
/// all-gathers and gradient reduce-scatters of single FSDP units (layers), in the order they were issued.
/// FSDP issues both kinds on one process group, and PyTorch's ProcessGroupNCCL runs all collectives of a
/// group on that group's one internal NCCL stream, so they run one after another: a reduce-scatter issued
/// at the end of a layer's backward delays the all-gather issued after it (torch/distributed/fsdp/
/// _runtime_utils.py: <c>_unshard</c> and <c>_reduce_grad</c> both call into the FSDP state's process group).
/// A fixed-size ring buffer: pushing and popping allocate nothing.
/// </summary>
internal sealed class UnitCollectiveQueue
{
    private readonly bool[] _gather;
    private readonly int[] _layer;
    private int _head, _count;

    /// <param name="capacity">Most entries ever waiting: at most one prefetched gather beside every reduce-scatter of an iteration.</param>
    public UnitCollectiveQueue(int capacity)
    {
        _gather = new bool[capacity];
        _layer = new int[capacity];
    }

    public int Count => _count;

    public void Clear() { _head = 0; _count = 0; }

    public void Push(bool gather, int layer)
    {
        if (_count == _gather.Length) throw new InvalidOperationException("FSDP unit collective queue overflow (a bug: its capacity bounds an iteration's collectives)");
        int i = (_head + _count) % _gather.Length;
        _gather[i] = gather; _layer[i] = layer;
        _count++;
    }

    /// <summary>The collective at the head: an all-gather (true) or a reduce-scatter, and its layer.</summary>
    public (bool Gather, int Layer) Peek() => (_gather[_head], _layer[_head]);

    public void Pop()
    {
        _head = (_head + 1) % _gather.Length;
        _count--;
    }
}
