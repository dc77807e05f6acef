using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sim.Calibration.TorchSharp;

/// <summary>One small model ready to train: its layers in forward order (what the layer timings are per),
/// how to make a batch, and its forward FLOPs per sample.</summary>
/// <param name="Name">The model's name in measurement files (mlp, cnn, transformer).</param>
/// <param name="Module">The whole model.</param>
/// <param name="Layers">Its top-level layers in forward order.</param>
/// <param name="MakeBatch">A seeded random batch (inputs, class targets) of the given size.</param>
/// <param name="ForwardFlops">Forward FLOPs at a batch size.</param>
/// <param name="BetweenLayers">Untimed glue applied to the activation before layer <c>i</c> (the CNN's pooling before its head).</param>
internal sealed record TorchSmallModel(string Name, nn.Module<Tensor, Tensor> Module, IReadOnlyList<TorchLayer> Layers,
    Func<int, (Tensor X, Tensor Y)> MakeBatch, Func<int, double> ForwardFlops, Func<int, Tensor, Tensor>? BetweenLayers = null);

/// <summary>A top-level layer of a model: its name and kind (as PyTorch's named_children would say), its module
/// (for the parameter count) and its forward.</summary>
internal sealed record TorchLayer(string Name, string Kind, nn.Module Module, Func<Tensor, Tensor> Forward);

/// <summary>
/// The three small models the profilers train, built from TorchSharp modules with the same architectures as
/// the Python profiler's (sim_profile.py): an MLP 256-512-512-10, a tiny ResNet (3x16x16 input, a 16-channel
/// stem, a basic block at 16 channels, a strided block to 32 channels, a linear head) and one transformer
/// encoder block (d 128, 4 heads, feed-forward 512, vocabulary 512, 32 tokens). Forward FLOPs are counted
/// analytically, 2 per multiply-add of every linear, convolution and attention matmul, as the Python profiler's
/// hooks count them; training FLOPs are 3x forward.
/// </summary>
internal static class TorchSmallModels
{
    public static readonly string[] Names = ["mlp", "cnn", "transformer"];
    public const int Sequence = 32, Vocabulary = 512, ModelWidth = 128, Heads = 4, FeedForward = 512;

    public static TorchSmallModel Create(string name)
    {
        torch.manual_seed(0);
        return name switch
        {
            "mlp" => Mlp(),
            "cnn" => Cnn(),
            "transformer" => Transformer(),
            _ => throw new ArgumentException($"unknown model '{name}'; expected one of {string.Join(", ", Names)}"),
        };
    }

    public static double MlpForwardFlops(int batch) => 2.0 * batch * (256 * 512 + 512 * 512 + 512 * 10);

    public static double CnnForwardFlops(int batch) => 2.0 * batch * (
        16 * 256 * 3 * 9                       // stem 3->16, 3x3, 16x16
        + 2 * 16 * 256 * 16 * 9                // block 1: two 16->16 3x3 at 16x16
        + 32 * 64 * 16 * 9 + 32 * 64 * 32 * 9  // block 2: 16->32 stride 2 and 32->32, 3x3 at 8x8
        + 32 * 64 * 16                         // block 2 shortcut: 1x1 16->32 stride 2
        + 10 * 32);                            // head

    public static double TransformerForwardFlops(int batch)
    {
        double b = batch, s = Sequence, d = ModelWidth;
        double attention = 2 * b * s * d * 3 * d + 2 * b * s * d * d + 2 * 2 * b * s * s * d; // projections, scores, weighted sum
        double feedForward = 2 * 2 * b * s * d * FeedForward;
        double head = 2 * b * s * d * Vocabulary;
        return attention + feedForward + head;
    }

    private static TorchSmallModel Mlp()
    {
        var parts = new (string, string, nn.Module<Tensor, Tensor>)[]
        {
            ("0", "Linear", nn.Linear(256, 512)), ("1", "ReLU", nn.ReLU()), ("2", "Linear", nn.Linear(512, 512)),
            ("3", "ReLU", nn.ReLU()), ("4", "Linear", nn.Linear(512, 10)),
        };
        var module = nn.Sequential(parts.Select(l => (l.Item1, l.Item3)).ToArray());
        return new("mlp", module, parts.Select(p => new TorchLayer(p.Item1, p.Item2, p.Item3, p.Item3.forward)).ToList(),
            b => (randn(b, 256), randint(0, 10, [b])), MlpForwardFlops);
    }

    private static TorchSmallModel Cnn()
    {
        var net = new TinyResNet();
        return new("cnn", net,
            [new("stem", "Sequential", net.stem, net.stem.forward), new("layer1", "BasicBlock", net.layer1, net.layer1.forward),
             new("layer2", "BasicBlock", net.layer2, net.layer2.forward), new("head", "Linear", net.head, net.head.forward)],
            b => (randn(b, 3, 16, 16), randint(0, 10, [b])), CnnForwardFlops,
            (next, x) => next == 3 ? TinyResNet.Pool(x) : x);
    }

    private static TorchSmallModel Transformer()
    {
        var net = new TinyTransformer();
        return new("transformer", net,
            [new("embed", "Embedding", net.embed, net.embed.forward), new("block", "TransformerEncoderLayer", net.block, net.Block),
             new("head", "Linear", net.head, net.head.forward)],
            b => (randint(0, Vocabulary, [b, Sequence]), randint(0, Vocabulary, [b, Sequence])), TransformerForwardFlops);
    }
}

/// <summary>Two 3x3 convolutions with batch norm and a shortcut (1x1 convolution when the shape changes).</summary>
internal sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Sequential? shortcut;

    public BasicBlock(string name, long cin, long cout, long stride) : base(name)
    {
        conv1 = nn.Conv2d(cin, cout, 3, stride: stride, padding: 1, bias: false); bn1 = nn.BatchNorm2d(cout);
        conv2 = nn.Conv2d(cout, cout, 3, stride: 1, padding: 1, bias: false); bn2 = nn.BatchNorm2d(cout);
        if (stride != 1 || cin != cout)
            shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride: stride, bias: false), nn.BatchNorm2d(cout));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = nn.functional.relu(bn1.forward(conv1.forward(x)));
        y = bn2.forward(conv2.forward(y));
        return nn.functional.relu(y + (shortcut is null ? x : shortcut.forward(x)));
    }
}

/// <summary>The CNN: stem, two basic blocks, global average pooling, linear head.</summary>
internal sealed class TinyResNet : nn.Module<Tensor, Tensor>
{
    internal readonly Sequential stem;
    internal readonly BasicBlock layer1, layer2;
    internal readonly Linear head;

    public TinyResNet() : base("cnn")
    {
        stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride: 1, padding: 1, bias: false), nn.BatchNorm2d(16), nn.ReLU());
        layer1 = new BasicBlock("layer1", 16, 16, 1);
        layer2 = new BasicBlock("layer2", 16, 32, 2);
        head = nn.Linear(32, 10);
        RegisterComponents();
    }

    internal static Tensor Pool(Tensor x) => nn.functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1);

    public override Tensor forward(Tensor x) => head.forward(Pool(layer2.forward(layer1.forward(stem.forward(x)))));
}

/// <summary>The transformer: token embedding, one encoder block (post-norm, ReLU, no dropout), linear head over the vocabulary.
/// TorchSharp's encoder layer takes (sequence, batch, width); the model takes and returns batch-first tensors.</summary>
internal sealed class TinyTransformer : nn.Module<Tensor, Tensor>
{
    internal readonly Embedding embed;
    internal readonly TransformerEncoderLayer block;
    internal readonly Linear head;

    public TinyTransformer() : base("transformer")
    {
        embed = nn.Embedding(TorchSmallModels.Vocabulary, TorchSmallModels.ModelWidth);
        block = nn.TransformerEncoderLayer(TorchSmallModels.ModelWidth, TorchSmallModels.Heads, TorchSmallModels.FeedForward, dropout: 0.0);
        head = nn.Linear(TorchSmallModels.ModelWidth, TorchSmallModels.Vocabulary);
        RegisterComponents();
    }

    /// <summary>The encoder block on batch-first activations (the transposes are views, no copies).</summary>
    internal Tensor Block(Tensor x) => block.call(x.transpose(0, 1)).transpose(0, 1);

    public override Tensor forward(Tensor tokens) => head.forward(Block(embed.forward(tokens)));
}
