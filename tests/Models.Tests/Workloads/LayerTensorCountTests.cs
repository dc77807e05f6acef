using Sim.Models.Workloads;

namespace Sim.Models.Tests.Workloads;

/// <summary>
/// Parameter and buffer tensor counts of zoo layers (what DDP pays per tensor) against hand counts of the PyTorch modules
/// the builders follow: <c>len(list(model.parameters()))</c> and <c>len(list(model.buffers()))</c> of torchvision's
/// ResNet-50 and VGG-16, and of a GPT-2 block (Hugging Face's GPT2Block: ln_1, fused c_attn, c_proj, ln_2, mlp.c_fc,
/// mlp.c_proj, each weight and bias). Transformers here fuse Q, K and V into one projection, as the builder models them.
/// </summary>
public class LayerTensorCountTests
{
    [Fact]
    public void Resnet50_has_torchvisions_161_parameter_and_159_buffer_tensors()
    {
        var layers = ModelZoo.Get("resnet50").Layers;
        // 53 convolutions without bias, 53 BatchNorms (weight, bias), fc (weight, bias)
        Assert.Equal(53 + 53 * 2 + 2, layers.Sum(l => l.ParameterTensors!.Value));
        // each BatchNorm: running_mean, running_var, num_batches_tracked
        Assert.Equal(53 * 3, layers.Sum(l => l.BufferTensors));
        var bn = layers.First(l => l.Kind == "norm");
        Assert.Equal((2, 3), (bn.ParameterTensors!.Value, bn.BufferTensors));
        Assert.Equal(1, layers.First(l => l.Kind == "conv").ParameterTensors);
        Assert.All(layers.Where(l => l.Parameters == 0), l => Assert.Equal((0, 0), (l.ParameterTensors!.Value, l.BufferTensors)));
    }

    [Fact]
    public void Vgg16_has_torchvisions_32_parameter_tensors_and_no_buffers()
    {
        var layers = ModelZoo.Get("vgg16").Layers;
        Assert.Equal(13 * 2 + 3 * 2, layers.Sum(l => l.ParameterTensors!.Value)); // 13 convolutions and 3 Linear, all with bias
        Assert.Equal(0, layers.Sum(l => l.BufferTensors));
    }

    [Fact]
    public void Gpt_block_holds_a_gpt2_blocks_twelve_tensors_and_the_model_its_embeddings_and_final_norm()
    {
        var model = ModelZoo.Gpt(layers: 4, hidden: 256, heads: 8, sequence: 128, vocabulary: 1000);
        var block = model.Layers.Single(l => l.Name == "layers.0");
        Assert.Equal(2 + 2 + 2 + 2 + 2 + 2, block.ParameterTensors);
        Assert.Equal(2, model.Layers[0].ParameterTensors);  // token and learned position embeddings
        Assert.Equal(2, model.Layers[^1].ParameterTensors); // final LayerNorm; the head's weight is the tied token embedding
        Assert.Equal(2 + 4 * 12 + 2, model.Layers.Sum(l => l.ParameterTensors!.Value));
        Assert.Equal(3, ModelZoo.Gpt(4, 256, 8, 128, 1000, tiedEmbeddings: false).Layers[^1].ParameterTensors);
    }

    [Fact]
    public void Llama_block_holds_fused_qkv_output_three_ffn_matrices_and_two_rmsnorm_scales()
    {
        var model = ModelZoo.Get("llama2_7b");
        Assert.Equal(1 + 1 + 3 + 2, model.Layers.Single(l => l.Name == "layers.0").ParameterTensors);
        Assert.Equal(1 + 32 * 7 + 2, model.Layers.Sum(l => l.ParameterTensors!.Value)); // embedding; final RMSNorm and untied head
    }
}
