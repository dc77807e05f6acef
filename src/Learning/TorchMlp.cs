using Sim.Core.Randomness;
using Sim.Models.Learning.Data;
using Sim.Models.Learning.Loop;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sim.Learning;

/// <summary>
/// A multilayer perceptron (features → hidden → hidden → classes, ReLU, cross-entropy) trained on
/// <see cref="GaussianBlobs"/>, in TorchSharp.
/// </summary>
public sealed class TorchMlp : TorchGradientModel
{
    private readonly GaussianBlobs _data;
    private readonly int _d, _h, _k;
    private readonly Tensor _trainX, _trainY, _testX, _testY;

    public TorchMlp(GaussianBlobs data, int hidden, int maxBatch = 4096) : base(Count(data.Features, hidden, data.Classes), maxBatch)
    {
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "hidden width must be >= 1");
        _data = data;
        _d = data.Features;
        _h = hidden;
        _k = data.Classes;
        _trainX = tensor(data.TrainFeatures, dtype: ScalarType.Float32).view(data.TrainCount, _d);
        _trainY = tensor(data.TrainLabels.Select(l => (long)l).ToArray(), dtype: ScalarType.Int64);
        _testX = tensor(data.TestFeatures, dtype: ScalarType.Float32).view(data.TestCount, _d);
        _testY = tensor(data.TestLabels.Select(l => (long)l).ToArray(), dtype: ScalarType.Int64);
        foreach (var t in new[] { _trainX, _trainY, _testX, _testY }) t.DetachFromDisposeScope();
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

    private Tensor Logits(Tensor flat, Tensor x)
    {
        var s = new Slicer(flat);
        var w1 = s.Next(_h, _d); var b1 = s.Next(_h);
        var w2 = s.Next(_h, _h); var b2 = s.Next(_h);
        var w3 = s.Next(_k, _h); var b3 = s.Next(_k);
        var a = F.relu(F.linear(x, w1, b1));
        a = F.relu(F.linear(a, w2, b2));
        return F.linear(a, w3, b3);
    }

    protected override Tensor TrainingLoss(Tensor flat, Tensor examples) =>
        F.cross_entropy(Logits(flat, _trainX.index_select(0, examples)), _trainY.index_select(0, examples));

    protected override Evaluation HeldOut(Tensor flat)
    {
        var logits = Logits(flat, _testX);
        double loss = F.cross_entropy(logits, _testY).item<float>();
        double accuracy = logits.argmax(1).eq(_testY).to_type(ScalarType.Float32).mean().item<float>();
        return new Evaluation(loss, accuracy);
    }

    public override void Dispose()
    {
        foreach (var t in new[] { _trainX, _trainY, _testX, _testY }) t.Dispose();
        base.Dispose();
    }
}
