namespace Sim.Learning;

/// <summary>
/// A tiny decoder-only transformer language model on <see cref="MarkovText"/>, in TorchSharp: token and
/// position embeddings of width d, one pre-norm block (single-head causal self-attention, then a ReLU MLP
/// of width 2d, each with a residual), a final layer norm and a linear head over the vocabulary; the loss
/// is next-token cross-entropy at every position, the accuracy that of the next-token argmax.
/// </summary>
public sealed class TorchTinyTransformer : TorchGradientModel
{
    private readonly MarkovText _data;
    private readonly int _v, _t, _d;
    private readonly Tensor _train, _test, _mask;

    // Scalars passed to TorchSharp ops are held in fields, not made implicitly per call: TorchSharp reads a
    // temporary Scalar's native handle and nothing keeps the managed object alive during the native call, so
    // under GC pressure its finalizer could free it mid-op (seen once as "toFloat: Expected false to be true"
    // inside Tensor.add's implicit alpha = 1).
    private static readonly Scalar One = 1.ToScalar();
    private readonly Scalar _attentionScale;

    public TorchTinyTransformer(MarkovText data, int width = 16, int maxBatch = 4096) : base(Count(data.Vocabulary, data.Length - 1, width), maxBatch)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be >= 1");
        _data = data;
        _v = data.Vocabulary;
        _t = data.Length - 1;
        _d = width;
        _attentionScale = Math.Sqrt(width).ToScalar();
        _train = tensor(data.Train.Select(x => (long)x).ToArray(), dtype: ScalarType.Int64).view(data.TrainCount, data.Length);
        _test = tensor(data.Test.Select(x => (long)x).ToArray(), dtype: ScalarType.Int64).view(data.TestCount, data.Length);
        // Causal mask: position i may attend to j <= i; -inf above the diagonal.
        _mask = ones(_t, _t, dtype: ScalarType.Float32).triu(1).mul(float.NegativeInfinity).nan_to_num(0, float.NegativeInfinity);
        foreach (var x in new[] { _train, _test, _mask }) x.DetachFromDisposeScope();
    }

    // Embeddings V·d + T·d; LN1 2d; Q,K,V,O 4·d² ; LN2 2d; MLP d·2d + 2d + 2d·d + d; LN_f 2d; head V·d + V.
    private static int Count(int v, int t, int d) => v * d + t * d + 2 * d + 4 * d * d + 2 * d + (2 * d * d + 2 * d) + (2 * d * d + d) + 2 * d + v * d + v;

    public override string Name => $"tiny transformer LM (1 block, width {_d}, TorchSharp) on Markov text (vocabulary {_v}, {_data.TrainCount:N0} sequences of {_data.Length})";
    public override int TrainingExamples => _data.TrainCount;
    public override int Classes => _v;
    /// <summary>The first token of the sequence (what non-IID shards sort by).</summary>
    public override int LabelOf(int example) => _data.Train[example * _data.Length];

    public override void Initialise(Span<float> parameters, ulong seed)
    {
        var rng = new RandomStream(seed);
        // (length, fan-in for uniform(±1/√fan-in), or 0 with a constant), in the order Logits slices them.
        (int Length, int FanIn, float Constant)[] segments =
        [
            (_v * _d, _d, 0), (_t * _d, _d, 0),          // token and position embeddings
            (_d, 0, 1), (_d, 0, 0),                      // LN1 weight, bias
            (4 * _d * _d, _d, 0),                        // Q, K, V, O
            (_d, 0, 1), (_d, 0, 0),                      // LN2
            (2 * _d * _d, _d, 0), (2 * _d, 0, 0),        // MLP up
            (2 * _d * _d, 2 * _d, 0), (_d, 0, 0),        // MLP down
            (_d, 0, 1), (_d, 0, 0),                      // final LN
            (_v * _d, _d, 0), (_v, 0, 0),                // head
        ];
        int o = 0;
        foreach (var (length, fanIn, constant) in segments)
        {
            if (fanIn > 0) FillUniform(parameters.Slice(o, length), fanIn, rng);
            else parameters.Slice(o, length).Fill(constant);
            o += length;
        }
    }

    private Tensor Logits(Tensor flat, Tensor inputs)
    {
        var s = new Slicer(flat);
        var tokenEmbedding = s.Next(_v, _d); var position = s.Next(_t, _d);
        var ln1w = s.Next(_d); var ln1b = s.Next(_d);
        var wq = s.Next(_d, _d); var wk = s.Next(_d, _d); var wv = s.Next(_d, _d); var wo = s.Next(_d, _d);
        var ln2w = s.Next(_d); var ln2b = s.Next(_d);
        var up = s.Next(2 * _d, _d); var upb = s.Next(2 * _d);
        var down = s.Next(_d, 2 * _d); var downb = s.Next(_d);
        var lnfw = s.Next(_d); var lnfb = s.Next(_d);
        var head = s.Next(_v, _d); var headb = s.Next(_v);

        long batch = inputs.shape[0];
        var x = tokenEmbedding.index_select(0, inputs.flatten()).view(batch, _t, _d).add(position, One);
        var h = F.layer_norm(x, [_d], ln1w, ln1b);
        var q = F.linear(h, wq); var k = F.linear(h, wk); var v = F.linear(h, wv);
        var scores = q.matmul(k.transpose(1, 2)).div(_attentionScale).add(_mask, One);
        x = x.add(F.linear(F.softmax(scores, -1).matmul(v), wo), One);
        h = F.layer_norm(x, [_d], ln2w, ln2b);
        x = x.add(F.linear(F.relu(F.linear(h, up, upb)), down, downb), One);
        return F.linear(F.layer_norm(x, [_d], lnfw, lnfb), head, headb);
    }

    private (Tensor Logits, Tensor Targets) Forward(Tensor flat, Tensor sequences)
    {
        var inputs = sequences.narrow(1, 0, _t);
        var targets = sequences.narrow(1, 1, _t).flatten();
        return (Logits(flat, inputs).view(-1, _v), targets);
    }

    protected override Tensor TrainingLoss(Tensor flat, Tensor examples)
    {
        var (logits, targets) = Forward(flat, _train.index_select(0, examples));
        return F.cross_entropy(logits, targets);
    }

    protected override Evaluation HeldOut(Tensor flat)
    {
        var (logits, targets) = Forward(flat, _test);
        double loss = F.cross_entropy(logits, targets).item<float>();
        double accuracy = logits.argmax(1).eq(targets).to_type(ScalarType.Float32).mean().item<float>();
        return new Evaluation(loss, accuracy);
    }

    public override void Dispose()
    {
        foreach (var x in new[] { _train, _test, _mask }) x.Dispose();
        base.Dispose();
    }
}
