using FsCheck;
using FsCheck.Fluent;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Workloads;

/// <summary>
/// For any GPT-style shape, not just the presets, the layer table must reproduce Narayanan et al.'s
/// closed forms: eq. 2 for parameters (plus the final LayerNorm) and 3 x forward FLOPs per iteration.
/// </summary>
public class GptFormulaPropertyTests
{
    private static readonly Gen<(int Layers, int Heads, int HeadDim, int Seq, int Vocab)> Shapes =
        from layers in Gen.Choose(1, 12)
        from heads in Gen.Choose(1, 16)
        from headDim in Gen.Choose(1, 32)
        from seq in Gen.Choose(1, 512)
        from vocab in Gen.Choose(1, 60000)
        select (layers, heads, headDim * 4, seq, vocab);

    private static bool Near(double expected, double actual) => Math.Abs(expected - actual) <= 1e-12 * Math.Abs(expected);

    [Fact]
    public void Parameters_and_training_flops_follow_the_closed_forms_for_any_shape()
    {
        Prop.ForAll(Arb.From(Shapes), shape =>
        {
            var (layers, heads, headDim, seq, vocab) = shape;
            double l = layers, h = heads * headDim, s = seq, v = vocab;
            var model = ModelZoo.Gpt(layers, heads * headDim, heads, seq, vocab);
            double eq2 = 12 * l * h * h * (1 + 13 / (12 * h) + (v + s) / (12 * l * h));
            double flops = 72 * s * l * h * h * (1 + s / (6 * h) + v / (12 * l * h));
            return Near(eq2 + 2 * h, model.Parameters) && Near(flops, model.TrainingFlopsPerSample) && model.Layers.Count == layers + 2;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void More_layers_or_a_longer_sequence_never_cost_less()
    {
        Prop.ForAll(Arb.From(Shapes), shape =>
        {
            var (layers, heads, headDim, seq, vocab) = shape;
            int h = heads * headDim;
            var baseline = ModelZoo.Gpt(layers, h, heads, seq, vocab);
            var deeper = ModelZoo.Gpt(layers + 1, h, heads, seq, vocab);
            var longer = ModelZoo.Gpt(layers, h, heads, seq + 1, vocab);
            return deeper.TrainingFlopsPerSample > baseline.TrainingFlopsPerSample
                && longer.TrainingFlopsPerSample > baseline.TrainingFlopsPerSample
                && longer.Layers[1].StoredActivationBytes > baseline.Layers[1].StoredActivationBytes;
        }).QuickCheckThrowOnFailure();
    }
}
