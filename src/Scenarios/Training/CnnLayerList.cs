using Sim.Models.Workloads;
using Sim.Scenarios.Schema;
using Sim.Scenarios.Yaml;
using static Sim.Scenarios.Schema.Schemas;

namespace Sim.Scenarios.Training;

/// <summary>
/// A convolutional network written down in the scenario file as a list of layers
/// (<c>model: {layers: [{conv: {out: 64, kernel: 3, padding: 1}}, {relu: {}}, {max_pool: {kernel: 2}}, {linear: {out: 10}}]}</c>),
/// built with the same <see cref="CnnBuilder"/> as the zoo's CNNs, so each layer's FLOPs, parameters and
/// activation bytes follow from the shapes by the same counting rules (a VGG-16 written as a list equals
/// the zoo's). The input image is <c>model.input</c> (channels x height x width, default 3 x 224 x 224) or
/// a square RGB <c>model.image_size</c>. Each item holds
/// exactly one operation; a layer whose window does not fit the incoming map (a shape mismatch, e.g. a
/// convolution after a linear layer) is an error located at that item's key, model.layers[i].KIND.
/// </summary>
public static class CnnLayerList
{
    /// <summary>Input side when model.image_size is not given (ImageNet's 224, as the zoo's CNNs use).</summary>
    public const int DefaultImageSize = 224;

    private const long MaxSide = 65_536, MaxChannels = 1_048_576;

    private static MapSchema Conv { get; } = Map(
        Field.Req("out", Integer(min: 1, max: MaxChannels), "Output channels."),
        Field.Req("kernel", Integer(min: 1, max: MaxSide), "Square kernel side."),
        Field.Opt("stride", Integer(min: 1, max: MaxSide), "Stride.", "1"),
        Field.Opt("padding", Integer(min: 0, max: MaxSide), "Zero padding on each side.", "0"),
        Field.Opt("bias", Boolean(), "A bias per output channel.", "false"));

    private static MapSchema Pool { get; } = Map(
        Field.Req("kernel", Integer(min: 1, max: MaxSide), "Square window side."),
        Field.Opt("stride", Integer(min: 1, max: MaxSide), "Stride; default: the kernel (PyTorch's default)."),
        Field.Opt("padding", Integer(min: 0, max: MaxSide), "Padding on each side.", "0"));

    private static MapSchema AdaptivePool { get; } = Map(
        Field.Req("size", Integer(min: 1, max: MaxSide), "Output grid side (e.g. 7 for VGG, 1 for global pooling)."));

    private static MapSchema Linear { get; } = Map(
        Field.Req("out", Integer(min: 1, max: MaxChannels), "Output features (the input is the flattened map)."),
        Field.Opt("bias", Boolean(), "A bias per output feature.", "true"));

    /// <summary>model.input: the image a model.layers network takes (any size, e.g. MNIST's 1 x 28 x 28).</summary>
    public static MapSchema Input { get; } = Map(
        Field.Opt("channels", Integer(min: 1, max: MaxChannels), "Input channels.", "3"),
        Field.Opt("height", Integer(min: 1, max: MaxSide), "Input height in pixels.", "224"),
        Field.Opt("width", Integer(min: 1, max: MaxSide), "Input width in pixels.", "224"));

    /// <summary>The operation keys of one list item, in the order the schema documents them.</summary>
    private static readonly string[] Kinds = ["conv", "batch_norm", "relu", "max_pool", "avg_pool", "adaptive_avg_pool", "linear"];

    /// <summary>One item of model.layers: exactly one of its keys.</summary>
    public static MapSchema Item { get; } = Map(
        Field.Opt("conv", Conv, "2-D convolution: FLOPs 2 k^2 Cin Cout Hout Wout (+ bias), backward 2x."),
        Field.Opt("batch_norm", Map(), "Training-mode batch norm (7 FLOPs per element, 2 parameters per channel); write batch_norm: {}."),
        Field.Opt("relu", Map(), "In-place ReLU; write relu: {}."),
        Field.Opt("max_pool", Pool, "Max pooling (k^2 comparisons per output element)."),
        Field.Opt("avg_pool", Pool, "Average pooling (k^2 adds per output element)."),
        Field.Opt("adaptive_avg_pool", AdaptivePool, "Adaptive average pooling to a size x size grid."),
        Field.Opt("linear", Linear, "Fully connected layer over the flattened map: FLOPs 2 in out (+ bias), backward 2x."));

    /// <summary>Builds the network of <paramref name="model"/>.layers; null (with errors added) when an
    /// item names no operation or several, or a layer does not fit its input.</summary>
    public static ModelSpec? Build(ScenarioSection model, int bytesPerElement, List<ScenarioError> errors)
    {
        if (model.Has("image_size") && model.Has("input"))
        {
            errors.Add(model.ErrorAt("input", "give model.input (channels, height, width) or model.image_size (a square RGB image), not both"));
            return null;
        }
        var input = model.GetSection("input");
        int side = model.Has("image_size") ? model.GetInt("image_size") : DefaultImageSize;
        var b = model.Has("image_size")
            ? new CnnBuilder(bytesPerElement, 3, side, side)
            : new CnnBuilder(bytesPerElement, input.GetInt("channels"), input.GetInt("height"), input.GetInt("width"));
        var x = b.Input;
        var items = model.GetSections("layers");
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var given = Kinds.Where(item.Has).ToArray();
            if (given.Length != 1)
            {
                errors.Add(new ScenarioError(item.LocationOf(given.FirstOrDefault() ?? Kinds[0]), item.Path,
                    $"give exactly one operation per layer, one of {string.Join(", ", Kinds)}; got {(given.Length == 0 ? "none" : string.Join(", ", given))}"));
                return null;
            }
            string kind = given[0], name = $"layers.{i}.{kind}";
            var op = item.GetSection(kind);
            try
            {
                x = kind switch
                {
                    "conv" => b.Conv(name, x, op.GetInt("out"), op.GetInt("kernel"), op.GetInt("stride"), op.GetInt("padding"), op.GetBool("bias")),
                    "batch_norm" => b.BatchNorm(name, x),
                    "relu" => b.Relu(name, x),
                    "max_pool" => b.MaxPool(name, x, op.GetInt("kernel"), Stride(op), op.GetInt("padding")),
                    "avg_pool" => b.AvgPool(name, x, op.GetInt("kernel"), Stride(op), op.GetInt("padding")),
                    "adaptive_avg_pool" => b.AdaptiveAvgPool(name, x, op.GetInt("size"), op.GetInt("size")),
                    _ => b.Linear(name, x, op.GetInt("out"), op.GetBool("bias")),
                };
            }
            catch (ArgumentException e)
            {
                errors.Add(item.ErrorAt(kind, $"{e.Message} (its input is {x.Channels} x {x.Height} x {x.Width})"));
                return null;
            }
        }
        return b.Build("custom CNN", "model.layers of the scenario file");
    }

    private static int Stride(ScenarioSection pool) => pool.Has("stride") ? pool.GetInt("stride") : pool.GetInt("kernel");
}
