using Sim.Core.Randomness;
using Sim.Models.Learning.Data;

namespace Sim.Models.Learning.Loop;

/// <summary>
/// Multinomial logistic regression in plain C# (weights K×D, biases K; cross-entropy loss): a real model
/// with exact gradients that needs no native library, for the strategy tests and for runs where the
/// model is not the point. The TorchSharp models of Sim.Learning serve the real small networks.
/// </summary>
public sealed class SoftmaxRegression : IGradientModel
{
    private readonly GaussianBlobs _data;
    private readonly int _d, _k;
    private readonly float[] _logits;
    private readonly int[] _all;

    public SoftmaxRegression(GaussianBlobs data)
    {
        _data = data;
        _d = data.Features;
        _k = data.Classes;
        _logits = new float[_k];
        _all = Enumerable.Range(0, data.TestCount).ToArray();
    }

    public string Name => $"softmax regression on gaussian blobs ({_d} features, {_k} classes, {_data.TrainCount:N0} examples)";
    public int ParameterCount => _k * _d + _k;
    public int TrainingExamples => _data.TrainCount;
    public int Classes => _k;
    public int LabelOf(int example) => _data.TrainLabels[example];

    /// <summary>Small seeded weights (uniform ±0.01), zero biases.</summary>
    public void Initialise(Span<float> parameters, ulong seed)
    {
        var rng = new RandomStream(seed);
        for (int i = 0; i < _k * _d; i++) parameters[i] = (float)(0.02 * rng.NextDouble() - 0.01);
        parameters[(_k * _d)..].Clear();
    }

    public double Gradient(ReadOnlySpan<float> parameters, ReadOnlySpan<int> examples, Span<float> gradient)
    {
        gradient.Clear();
        double loss = 0;
        float inv = 1f / examples.Length;
        foreach (int e in examples)
        {
            var x = _data.TrainFeatures.AsSpan(e * _d, _d);
            loss += Forward(parameters, x, _data.TrainLabels[e], out _);
            for (int c = 0; c < _k; c++)
            {
                float delta = (_logits[c] - (c == _data.TrainLabels[e] ? 1f : 0f)) * inv;
                var row = gradient.Slice(c * _d, _d);
                for (int f = 0; f < _d; f++) row[f] += delta * x[f];
                gradient[_k * _d + c] += delta;
            }
        }
        return loss / examples.Length;
    }

    public Evaluation Evaluate(ReadOnlySpan<float> parameters)
    {
        double loss = 0;
        int correct = 0;
        foreach (int e in _all)
        {
            loss += Forward(parameters, _data.TestFeatures.AsSpan(e * _d, _d), _data.TestLabels[e], out int predicted);
            if (predicted == _data.TestLabels[e]) correct++;
        }
        return new Evaluation(loss / _all.Length, (double)correct / _all.Length);
    }

    /// <summary>Leaves the softmax probabilities in _logits; returns the cross-entropy.</summary>
    private double Forward(ReadOnlySpan<float> w, ReadOnlySpan<float> x, int label, out int predicted)
    {
        float max = float.NegativeInfinity;
        predicted = 0;
        for (int c = 0; c < _k; c++)
        {
            float z = w[_k * _d + c];
            var row = w.Slice(c * _d, _d);
            for (int f = 0; f < _d; f++) z += row[f] * x[f];
            _logits[c] = z;
            if (z > max) { max = z; predicted = c; }
        }
        float sum = 0;
        for (int c = 0; c < _k; c++) { _logits[c] = MathF.Exp(_logits[c] - max); sum += _logits[c]; }
        for (int c = 0; c < _k; c++) _logits[c] /= sum;
        return -Math.Log(Math.Max(_logits[label], 1e-30f));
    }
}
