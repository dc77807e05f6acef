namespace Sim.Models.Dependability;

/// <summary>
/// Centered clipping (Karimireddy, He and Jaggi, "Learning from History for Byzantine Robust
/// Optimization", ICML 2021): starting from the centre v (the previous round's output; zero in the
/// first round), repeat l times v &lt;- v + (1/n) sum_i (x_i - v) min(1, tau / ||x_i - v||). Stateful:
/// the output becomes the next round's centre, which is how the rule uses history (the paper feeds
/// it worker momenta). O(l n d). With tau = infinity and l = 1 it is the mean of the inputs shifted
/// by nothing, i.e. plain averaging. Requires n > 2f.
/// </summary>
public sealed class CenteredClipping : IAggregator
{
    private readonly double _tau;
    private readonly int _iterations;
    private readonly float[] _center;
    private readonly float[] _step;
    private readonly float[] _diff;

    public CenteredClipping(AggregatorOptions options)
    {
        Workers = options.Workers;
        Dimension = options.Dimension;
        if (options.ClippingRadius is not { } tau)
            throw new DependabilitySettingException($"{options.KeyPath}.clipping_radius", "centered clipping needs a clipping radius tau (> 0); it depends on the model's gradient norms, so there is no default");
        if (!(tau > 0)) throw new DependabilitySettingException($"{options.KeyPath}.clipping_radius", $"must be > 0, got {tau}");
        if (options.ClippingIterations < 1) throw new DependabilitySettingException($"{options.KeyPath}.clipping_iterations", $"must be >= 1, got {options.ClippingIterations}");
        _tau = tau;
        _iterations = options.ClippingIterations;
        _center = new float[Dimension];
        _step = new float[Dimension];
        _diff = new float[Dimension];
    }

    public string Name => "centered-clipping";
    public int Workers { get; }
    public int Dimension { get; }

    /// <summary>The centre the next round starts from.</summary>
    public ReadOnlySpan<float> Center => _center;

    public void Reset() => Array.Clear(_center);

    public void Aggregate(GradientMatrix inputs, Span<float> output)
    {
        AggregatorShape.Check(this, inputs, output);
        for (int l = 0; l < _iterations; l++)
        {
            Array.Clear(_step);
            for (int i = 0; i < Workers; i++)
            {
                inputs.Row(i).CopyTo(_diff);
                VectorMath.AddScaled(_diff, _center, -1f);
                double norm = Math.Sqrt(VectorMath.SquaredNorm(_diff));
                double scale = norm > _tau ? _tau / norm : 1;
                VectorMath.AddScaled(_step, _diff, (float)(scale / Workers));
            }
            VectorMath.AddScaled(_center, _step, 1f);
        }
        _center.AsSpan().CopyTo(output);
    }
}
