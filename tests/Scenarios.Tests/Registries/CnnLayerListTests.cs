using Sim.Models.Workloads;
using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests.Registries;

/// <summary>
/// CNNs written in the scenario file as model.layers: FLOPs and parameters from the shapes against a
/// network computed by hand, a VGG-16 written as a list against the zoo's VGG-16, and located errors
/// for shape mismatches and malformed items.
/// </summary>
public sealed class CnnLayerListTests
{
    private static string Yaml(string model) =>
        $"name: t\ncluster: {{preset: dgx-a100, nodes: 1}}\nmodel: {model}\nnetwork: {{backend: flow}}\n" +
        "compute: {precision: fp32}\ntraining: {mode: data_parallel, micro_batch: 8, iterations: 2}\noutputs: {timeline: false, report: false}\n";

    [Fact]
    public void A_small_network_has_the_flops_and_parameters_computed_by_hand()
    {
        var s = TrainingScenario.Parse(Yaml("{image_size: 32, layers: [{conv: {out: 8, kernel: 3, padding: 1, bias: true}}, {relu: {}}, {max_pool: {kernel: 2}}, {linear: {out: 10}}]}"), "c.yaml");
        // conv 3->8, 3x3, pad 1 on 32x32: weights 3*3*3*8 = 216 (+8 bias); forward 2*216*32*32 + 8*32*32 = 450,560.
        // relu on 8x32x32: 8,192. max pool 2x2 stride 2 -> 8x16x16: 4 comparisons x 2,048 = 8,192.
        // linear 2,048 -> 10: weights 20,480 (+10 bias); forward 2*20,480 + 10 = 40,970.
        Assert.Equal(4, s.Model.Layers.Count);
        Assert.Equal(224 + 20_490, s.Model.Parameters);
        Assert.Equal(450_560 + 8_192 + 8_192 + 40_970, s.Model.ForwardFlopsPerSample);
        // Backward: 2x forward for conv and linear, 1x for relu and pooling.
        Assert.Equal(2 * 450_560 + 8_192 + 8_192 + 2 * 40_970, s.Model.BackwardFlopsPerSample);
        // The linear layer's output: 10 fp32 values.
        Assert.Equal(40, s.Model.Layers[3].OutputActivationBytes);
    }

    [Fact]
    public void Vgg16_written_as_a_layer_list_equals_the_zoos_vgg16()
    {
        var items = new List<string>();
        foreach (int c in new[] { 64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0 })
            items.Add(c == 0 ? "{max_pool: {kernel: 2, stride: 2}}" : $"{{conv: {{out: {c}, kernel: 3, padding: 1, bias: true}}}}, {{relu: {{}}}}");
        items.Add("{adaptive_avg_pool: {size: 7}}");
        items.Add("{linear: {out: 4096}}, {relu: {}}, {linear: {out: 4096}}, {relu: {}}, {linear: {out: 1000}}");
        var list = TrainingScenario.Parse(Yaml($"{{layers: [{string.Join(", ", items)}]}}"), "vgg.yaml").Model;
        var zoo = TrainingScenario.Parse(Yaml("{zoo: vgg16}"), "zoo.yaml").Model;
        // Published: 138M parameters (Simonyan & Zisserman 2015, Table 2), ~15.5 GMACs forward at 224x224.
        Assert.InRange(list.Parameters, 138.3e6, 138.4e6);
        Assert.Equal(zoo.Parameters, list.Parameters);
        Assert.Equal(zoo.ForwardFlopsPerSample, list.ForwardFlopsPerSample);
        Assert.Equal(zoo.TrainingFlopsPerSample, list.TrainingFlopsPerSample);
        Assert.Equal(zoo.Layers.Select(l => l.StoredActivationBytes), list.Layers.Select(l => l.StoredActivationBytes));
    }

    [Fact]
    public void The_input_may_be_any_image_such_as_mnists_1_x_28_x_28()
    {
        // LeNet-like: conv 1->6, 5x5, pad 2 on 28x28 keeps 28x28: weights 150 (+6 bias); forward 2*150*784 + 6*784 = 239,904.
        // max pool 2 -> 6x14x14 (1,176 outputs x 4 = 4,704); linear 1,176 -> 10: 11,760 weights (+10), forward 23,530.
        var s = TrainingScenario.Parse(Yaml("{input: {channels: 1, height: 28, width: 28}, layers: [{conv: {out: 6, kernel: 5, padding: 2, bias: true}}, {max_pool: {kernel: 2}}, {linear: {out: 10}}]}"), "c.yaml");
        Assert.Equal(156 + 11_770, s.Model.Parameters);
        Assert.Equal(239_904 + 4_704 + 23_530, s.Model.ForwardFlopsPerSample);
    }

    [Theory]
    [InlineData("{image_size: 32, input: {channels: 1}, layers: [{relu: {}}]}", @"^c\.yaml:3:\d+: model\.input: give model\.input \(channels, height, width\) or model\.image_size")]
    [InlineData("{zoo: vgg16, input: {channels: 1}}", @"^c\.yaml:3:\d+: model\.input: is the input of a model\.layers network")]
    [InlineData("{image_size: 32, layers: [{linear: {out: 10}}, {conv: {out: 8, kernel: 3}}]}",
        @"^c\.yaml:3:\d+: model\.layers\[1\]\.conv: layer 'layers\.1\.conv': kernel 3 does not fit an input of 1 pixels .* \(its input is 10 x 1 x 1\)")]
    [InlineData("{image_size: 32, layers: [{conv: {out: 8, kernel: 3}, relu: {}}]}",
        @"^c\.yaml:3:\d+: model\.layers\[0\]: give exactly one operation per layer, one of conv, .*; got conv, relu")]
    [InlineData("{image_size: 32, layers: [{conv: {out: 8, kernal: 3}}]}",
        @"(?m)^c\.yaml:3:\d+: model\.layers\[0\]\.conv\.kernal: unknown key 'kernal' \(did you mean 'kernel'\?\)")]
    [InlineData("{zoo: vgg16, layers: [{relu: {}}]}", @"^c\.yaml:3:\d+: model: give exactly one of model\.zoo or model\.gpt or model\.layers")]
    public void Bad_layer_lists_are_refused_at_the_layers_key_path(string model, string pattern)
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml(model), "c.yaml"));
        Assert.Matches(pattern, e.Message);
    }
}
