namespace Sim.Learning;

/// <summary>
/// A multilayer perceptron (features → hidden → hidden → classes, ReLU, cross-entropy) trained on
/// <see cref="GaussianBlobs"/>, in TorchSharp.
/// </summary>
public sealed class TorchMlp : TorchClassifier
{
    private readonly GaussianBlobs _data;
    private readonly int _d, _h, _k;

    public TorchMlp(GaussianBlobs data, int hidden, int maxBatch = 4096)
        : base(Count(data.Features, hidden, data.Classes), maxBatch,
            tensor(data.TrainFeatures, dtype: ScalarType.Float32).view(data.TrainCount, data.Features), data.TrainLabels,
            tensor(data.TestFeatures, dtype: ScalarType.Float32).view(data.TestCount, data.Features), data.TestLabels)
    {
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "hidden width must be >= 1");
        _data = data;
        _d = data.Features;
        _h = hidden;
        _k = data.Classes;
    }

    private static int Count(int d, int h, int k) => h * d + h + h * h + h + k * h + k;

    public override string Name => $"MLP {_d}-{_h}-{_h}-{_k} (TorchSharp) on gaussian blobs ({_data.TrainCount:N0} examples)";
    public override int TrainingExamples => _data.TrainCount;
    public override int Classes => _k;
    public override int LabelOf(int example) => _data.TrainLabels[example];

    public override void Initialise(Span<float> parameters, ulong seed)
    {
        var rng = new RandomStream(seed);
        int o = 0;
        foreach (var (fanIn, fanOut) in new[] { (_d, _h), (_h, _h), (_h, _k) })
        {
            FillUniform(parameters.Slice(o, fanOut * fanIn + fanOut), fanIn, rng);
            o += fanOut * fanIn + fanOut;
        }
    }

    protected override Tensor Logits(Tensor flat, Tensor x)
    {
        var s = new Slicer(flat);
        var w1 = s.Next(_h, _d); var b1 = s.Next(_h);
        var w2 = s.Next(_h, _h); var b2 = s.Next(_h);
        var w3 = s.Next(_k, _h); var b3 = s.Next(_k);
        var a = F.relu(F.linear(x, w1, b1));
        a = F.relu(F.linear(a, w2, b2));
        return F.linear(a, w3, b3);
    }
}
