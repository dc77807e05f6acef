using Sim.Models.Workloads;

namespace Sim.Models.Tests.Workloads;

public class ModelZooTests
{
    [Fact]
    public void Every_listed_name_builds_a_model_with_known_layer_kinds()
    {
        string[] kinds = ["conv", "matmul", "elementwise", "pool", "norm", "attention", "embedding"];
        Assert.Equal(9, ModelZoo.Names.Count);
        foreach (var name in ModelZoo.Names)
        {
            var m = ModelZoo.Get(name);
            Assert.Equal(name, m.Name);
            Assert.NotEmpty(m.Source);
            Assert.All(m.Layers, l => Assert.Contains(l.Kind, kinds));
            Assert.All(m.Layers, l => Assert.True(l.ForwardFlops >= 0 && l.Parameters >= 0 && l.OutputActivationBytes > 0));
            Assert.Equal(m.Layers.Count, m.Layers.Select(l => l.Name).Distinct().Count());
        }
    }

    [Fact]
    public void Unknown_name_lists_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Get("resnet18"));
        Assert.Contains("resnet18", e.Message);
        foreach (var name in ModelZoo.Names) Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Names_are_case_insensitive_and_building_is_deterministic()
    {
        var a = ModelZoo.Get("ResNet50");
        var b = ModelZoo.Get("resnet50");
        // Records compare by value; their kernel lists are separate instances, compared element by element.
        Assert.Equal(a.Layers.Select(l => l with { Kernels = null }), b.Layers.Select(l => l with { Kernels = null }));
        for (int i = 0; i < a.Layers.Count; i++) Assert.Equal(a.Layers[i].Kernels!, b.Layers[i].Kernels!);
    }

    [Fact]
    public void Default_precision_is_fp32_for_cnns_and_16_bit_for_transformers()
    {
        // ResNet stem output 64 x 112 x 112 elements; GPT-3 block output s x h elements.
        Assert.Equal(64.0 * 112 * 112 * 4, ModelZoo.Get("resnet50").Layers[0].OutputActivationBytes);
        Assert.Equal(2048.0 * 12288 * 2, ModelZoo.Get("gpt3_175b").Layers[1].OutputActivationBytes);
    }

    [Fact]
    public void Options_that_do_not_apply_or_are_not_positive_are_errors()
    {
        Assert.Throws<ArgumentException>(() => ModelZoo.Get("bert_large", new ZooOptions { ImageSize = 224 }));
        Assert.Throws<ArgumentException>(() => ModelZoo.Get("vgg16", new ZooOptions { SequenceLength = 128 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelZoo.Get("vgg16", new ZooOptions { BytesPerElement = 0 }));
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Get("inception_v3", new ZooOptions { ImageSize = 32 }));
        Assert.Contains("too small", e.Message);
    }
}
