namespace Sim.Learning;

/// <summary>
/// A small convolutional network on <see cref="ShapeImages"/>, in TorchSharp: conv 3×3 (1→6, padding 1),
/// ReLU, 2×2 max-pool, conv 3×3 (6→12, padding 1), ReLU, 2×2 max-pool, linear to the 4 classes.
/// </summary>
public sealed class TorchCnn : TorchClassifier
{
    private const int C1 = 6, C2 = 12;
    private readonly ShapeImages _data;
    private readonly int _side, _flat;

    public TorchCnn(ShapeImages data, int maxBatch = 4096)
        : base(Count(data.Side), maxBatch,
            tensor(data.TrainPixels, dtype: ScalarType.Float32).view(data.TrainCount, 1, data.Side, data.Side), data.TrainLabels,
            tensor(data.TestPixels, dtype: ScalarType.Float32).view(data.TestCount, 1, data.Side, data.Side), data.TestLabels)
    {
        _data = data;
        _side = data.Side;
        _flat = C2 * (data.Side / 4) * (data.Side / 4);
    }

    private static int Count(int side) => C1 * 9 + C1 + C2 * C1 * 9 + C2 + ShapeImages.ClassCount * C2 * (side / 4) * (side / 4) + ShapeImages.ClassCount;

    public override string Name => $"CNN conv{C1}-conv{C2}-linear (TorchSharp) on {_side}x{_side} stroke images ({_data.TrainCount:N0} examples)";
    public override int TrainingExamples => _data.TrainCount;
    public override int Classes => ShapeImages.ClassCount;
    public override int LabelOf(int example) => _data.TrainLabels[example];

    public override void Initialise(Span<float> parameters, ulong seed)
    {
        var rng = new RandomStream(seed);
        int o = 0;
        foreach (var (fanIn, size) in new[] { (9, C1 * 9 + C1), (C1 * 9, C2 * C1 * 9 + C2), (_flat, ShapeImages.ClassCount * _flat + ShapeImages.ClassCount) })
        {
            FillUniform(parameters.Slice(o, size), fanIn, rng);
            o += size;
        }
    }

    protected override Tensor Logits(Tensor flat, Tensor x)
    {
        var s = new Slicer(flat);
        var w1 = s.Next(C1, 1, 3, 3); var b1 = s.Next(C1);
        var w2 = s.Next(C2, C1, 3, 3); var b2 = s.Next(C2);
        var w3 = s.Next(ShapeImages.ClassCount, _flat); var b3 = s.Next(ShapeImages.ClassCount);
        var a = F.max_pool2d(F.relu(F.conv2d(x, w1, b1, padding: [1, 1])), [2, 2]);
        a = F.max_pool2d(F.relu(F.conv2d(a, w2, b2, padding: [1, 1])), [2, 2]);
        return F.linear(a.flatten(1), w3, b3);
    }
}
