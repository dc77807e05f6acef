namespace Sim.Models.Workloads;

/// <summary>
/// Builds a convolutional network's layer table one operation at a time, the way a quantity surveyor
/// walks a floor plan room by room: each call takes the incoming feature map, works out the outgoing
/// shape, and writes down the arithmetic, the parameters and the memory that operation costs.
/// <para>
/// Granularity: one <see cref="Layer"/> per framework operation, as PyTorch runs them in training
/// (convolution, batch norm and ReLU are separate kernels when training, so BN and ReLU are separate
/// layers with Kind "norm" and "elementwise", not folded into the convolution). This keeps
/// memory-bound operations from hiding under the compute-bound convolution in a roofline model, and
/// is finer than DDP gradient bucketing needs.
/// </para>
/// <para>
/// Counting conventions, per sample:
/// FLOPs count a multiply-add as 2 (conv: 2*kh*kw*Cin*Cout*Hout*Wout, plus Cout*Hout*Wout for a
/// bias). Backward is 2x forward for conv and linear (input and weight gradients), 1x for the
/// others. <see cref="Layer.ForwardBytes"/> is input plus output activation bytes.
/// <see cref="Layer.StoredActivationBytes"/> counts each tensor kept for the backward pass once,
/// charged to the first layer that saves it: conv, linear and batch norm save their input; ReLU (in
/// place) saves its output; max pooling saves its input and its int64 argmax indices; average
/// pooling, residual adds and concatenation save nothing (their gradients need only shapes).
/// </para>
/// <para>
/// Kernels (<see cref="Layer.Kernels"/>, for kernel-level compute models): a convolution is a
/// <see cref="ConvKernel"/> (costed as cuDNN's implicit GEMMs), a linear layer a <see cref="GemmKernel"/>, and
/// the rest memory-bound <see cref="StreamKernel"/>s whose HBM passes are counted as PyTorch's CUDA kernels
/// make them, in tensor-sized passes of the layer's map (E): batch norm in training computes the batch
/// statistics in one kernel and normalises in a second (aten/src/ATen/native/cuda/Normalization.cuh:
/// batch_norm_collect_statistics then batch_norm_transform_input), 3E forward. cuDNN's batch norm, which
/// PyTorch calls for most CUDA inputs, is taken to make the same passes: normalising needs the whole batch's
/// statistics first, and training-size maps (ResNet-50's are 13-411 MB at 256 FP16 images) mostly cannot wait
/// on chip meanwhile (an A100 has about 27 MB of registers, 20 MB of shared memory and 40 MB of L2). Backward: one reduction kernel
/// over the output gradient and the input, then one element-wise kernel reading both and writing the input
/// gradient (batch_norm_backward_reduce, batch_norm_backward_elemt), 5E. ReLU in place reads and writes,
/// 2E; its backward (threshold_backward) reads the output gradient and the output and writes, 3E. A
/// residual add reads two maps and writes one, 3E; its backward passes the gradient through unchanged,
/// but the block input it came from feeds two branches, whose gradients autograd sums there (read 2,
/// write 1): 3E, charged to the add. Pooling reads its input and writes its output (max pooling also
/// writes int64 argmax indices); its backward reads the output gradient (and the indices) and writes the
/// input gradient, which max pooling first zero-fills. A concatenation copies its parts both ways, 2E.
/// A convolution's bias add runs in its epilogue (no pass); its bias gradient is a reduction reading the
/// output gradient, 1E backward.
/// </para>
/// </summary>
public sealed class CnnBuilder
{
    /// <summary>PyTorch stores max-pooling argmax indices as int64.</summary>
    private const int IndexBytes = 8;
    /// <summary>
    /// Training-mode batch norm per element: mean and variance statistics (an add and a multiply-add,
    /// 3 FLOPs) plus normalise, scale and shift (4 FLOPs).
    /// </summary>
    private const double BatchNormFlopsPerElement = 7;

    private readonly List<Layer> _layers = new();
    private readonly HashSet<int> _storedTensors = new();
    private int _nextTensorId;

    public CnnBuilder(int bytesPerElement, int channels, int height, int width)
    {
        if (bytesPerElement <= 0) throw new ArgumentOutOfRangeException(nameof(bytesPerElement), bytesPerElement, "must be > 0");
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentException($"input image must have positive channels, height and width, got {channels}x{height}x{width}");
        BytesPerElement = bytesPerElement;
        Input = NewMap(channels, height, width);
    }

    public int BytesPerElement { get; }
    /// <summary>The network's input image.</summary>
    public FeatureMap Input { get; }
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>2-D convolution with square kernel, stride and padding.</summary>
    public FeatureMap Conv(string name, FeatureMap x, int outChannels, int kernel, int stride = 1, int padding = 0, bool bias = false) =>
        Conv(name, x, outChannels, (kernel, kernel), (stride, stride), (padding, padding), bias);

    /// <summary>2-D convolution with rectangular kernel, stride and padding (e.g. Inception's 1x7 and 7x1).</summary>
    public FeatureMap Conv(string name, FeatureMap x, int outChannels, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, bool bias = false)
    {
        if (outChannels <= 0) throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, $"layer '{name}': output channels must be > 0");
        var y = NewMap(outChannels, OutputSide(name, x.Height, kernel.H, stride.H, padding.H), OutputSide(name, x.Width, kernel.W, stride.W, padding.W));
        double weights = (double)kernel.H * kernel.W * x.Channels * outChannels;
        double forward = 2 * weights * y.Height * y.Width + (bias ? y.Elements : 0);
        var conv = new ConvKernel(name, x.Channels, outChannels, kernel.H, kernel.W, stride.H, stride.W, x.Height, x.Width, y.Height, y.Width,
            InputGradient: x.Id != Input.Id);
        KernelOp[] kernels = bias ? [conv, Stream($"{name}.bias_grad", 0, y.Elements)] : [conv];
        Add(name, "conv", forward, 2 * forward, weights + (bias ? outChannels : 0), x, y, StoreOnce(x), parameterTensors: bias ? 2 : 1, kernels: kernels);
        return y;
    }

    /// <summary>Training-mode batch normalisation: a scale and a shift per channel are trainable; a running mean
    /// and variance per channel (float32) and a batch counter (int64) are buffers (PyTorch's BatchNorm2d).</summary>
    public FeatureMap BatchNorm(string name, FeatureMap x)
    {
        var y = NewMap(x.Channels, x.Height, x.Width);
        double forward = BatchNormFlopsPerElement * x.Elements;
        Add(name, "norm", forward, forward, 2.0 * x.Channels, x, y, StoreOnce(x), bufferBytes: 2.0 * x.Channels * 4 + 8, parameterTensors: 2, bufferTensors: 3,
            kernels: [Stream(name, 3 * x.Elements, 5 * x.Elements)]);
        return y;
    }

    /// <summary>In-place ReLU: one comparison per element; keeps its output for the backward pass.</summary>
    public FeatureMap Relu(string name, FeatureMap x)
    {
        var y = NewMap(x.Channels, x.Height, x.Width);
        Add(name, "elementwise", x.Elements, x.Elements, 0, x, y, StoreOnce(y), kernels: [Stream(name, 2 * x.Elements, 3 * x.Elements)]);
        return y;
    }

    /// <summary>Convolution (no bias), batch norm, ReLU: torchvision's BasicConv2d and ResNet's conv-bn-relu.</summary>
    public FeatureMap ConvBnRelu(string prefix, FeatureMap x, int outChannels, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, string convName = "conv", string bnName = "bn", string reluName = "relu")
    {
        var y = Conv($"{prefix}.{convName}", x, outChannels, kernel, stride, padding);
        y = BatchNorm($"{prefix}.{bnName}", y);
        return Relu($"{prefix}.{reluName}", y);
    }

    public FeatureMap ConvBnRelu(string prefix, FeatureMap x, int outChannels, int kernel, int stride = 1, int padding = 0) =>
        ConvBnRelu(prefix, x, outChannels, (kernel, kernel), (stride, stride), (padding, padding));

    /// <summary>Max pooling: kernel*kernel comparisons per output element.</summary>
    public FeatureMap MaxPool(string name, FeatureMap x, int kernel, int stride, int padding = 0)
    {
        var y = NewMap(x.Channels, OutputSide(name, x.Height, kernel, stride, padding), OutputSide(name, x.Width, kernel, stride, padding));
        double forward = (double)kernel * kernel * y.Elements;
        var pool = new StreamKernel(name, (x.Elements + y.Elements) * BytesPerElement + IndexBytes * y.Elements, TensorSplit.Replicated,
            (y.Elements + 2 * x.Elements) * BytesPerElement + IndexBytes * y.Elements);
        Add(name, "pool", forward, forward, 0, x, y, StoreOnce(x) + IndexBytes * y.Elements, kernels: [pool]);
        return y;
    }

    /// <summary>Average pooling (count_include_pad, as torchvision's Inception uses): kernel*kernel adds per output element.</summary>
    public FeatureMap AvgPool(string name, FeatureMap x, int kernel, int stride, int padding = 0)
    {
        var y = NewMap(x.Channels, OutputSide(name, x.Height, kernel, stride, padding), OutputSide(name, x.Width, kernel, stride, padding));
        double forward = (double)kernel * kernel * y.Elements;
        Add(name, "pool", forward, forward, 0, x, y, 0, kernels: [Stream(name, x.Elements + y.Elements, x.Elements + y.Elements)]);
        return y;
    }

    /// <summary>Adaptive average pooling to a fixed output grid: every input element is added once.</summary>
    public FeatureMap AdaptiveAvgPool(string name, FeatureMap x, int outHeight, int outWidth)
    {
        if (outHeight <= 0 || outWidth <= 0) throw new ArgumentException($"layer '{name}': adaptive pool output must be positive, got {outHeight}x{outWidth}");
        var y = NewMap(x.Channels, outHeight, outWidth);
        Add(name, "pool", x.Elements, x.Elements, 0, x, y, 0, kernels: [Stream(name, x.Elements + y.Elements, x.Elements + y.Elements)]);
        return y;
    }

    /// <summary>Fully connected layer over the flattened feature map (Cin*H*W inputs).</summary>
    public FeatureMap Linear(string name, FeatureMap x, int outFeatures, bool bias = true)
    {
        if (outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, $"layer '{name}': output features must be > 0");
        var y = NewMap(outFeatures, 1, 1);
        double weights = x.Elements * outFeatures;
        double forward = 2 * weights + (bias ? outFeatures : 0);
        Add(name, "matmul", forward, 2 * forward, weights + (bias ? outFeatures : 0), x, y, StoreOnce(x), parameterTensors: bias ? 2 : 1,
            kernels: [new GemmKernel(name, 1, outFeatures, x.Elements, TensorSplit.Replicated)]);
        return y;
    }

    /// <summary>Residual addition of two equally shaped maps: one add per element.</summary>
    public FeatureMap Residual(string name, FeatureMap a, FeatureMap b)
    {
        if (a.Channels != b.Channels || a.Height != b.Height || a.Width != b.Width)
            throw new ArgumentException($"layer '{name}': residual operands differ in shape ({a.Channels}x{a.Height}x{a.Width} vs {b.Channels}x{b.Height}x{b.Width})");
        var y = NewMap(a.Channels, a.Height, a.Width);
        Add(name, "elementwise", a.Elements, a.Elements, 0, a, y, 0, extraInputBytes: b.Elements * BytesPerElement,
            kernels: [Stream(name, 3 * a.Elements, 3 * a.Elements)]);
        return y;
    }

    /// <summary>Channel concatenation of equally sized maps (an Inception block's branches): a pure copy.</summary>
    public FeatureMap Concat(string name, params FeatureMap[] parts)
    {
        if (parts.Length == 0) throw new ArgumentException($"layer '{name}': nothing to concatenate");
        foreach (var p in parts)
            if (p.Height != parts[0].Height || p.Width != parts[0].Width)
                throw new ArgumentException($"layer '{name}': concatenated maps differ in spatial size ({p.Height}x{p.Width} vs {parts[0].Height}x{parts[0].Width})");
        var y = NewMap(parts.Sum(p => p.Channels), parts[0].Height, parts[0].Width);
        // Reads every part once and writes the result once: 2 * output bytes of traffic, no arithmetic.
        _layers.Add(new Layer
        {
            Name = name, Kind = "elementwise", ForwardFlops = 0, BackwardFlops = 0, Parameters = 0,
            OutputActivationBytes = y.Elements * BytesPerElement,
            ForwardBytes = 2 * y.Elements * BytesPerElement,
            StoredActivationBytes = 0,
            ParameterTensors = 0,
            Kernels = [Stream(name, 2 * y.Elements, 2 * y.Elements)],
        });
        return y;
    }

    public ModelSpec Build(string name, string source) => new()
    {
        Name = name,
        Layers = _layers.ToArray(),
        SampleUnit = "image",
        TokensPerSample = 1,
        Source = source,
    };

    /// <summary>Output side of a convolution or pooling window: floor((n + 2p - k) / s) + 1.</summary>
    public static int OutputSide(string name, int input, int kernel, int stride, int padding)
    {
        if (kernel <= 0 || stride <= 0 || padding < 0)
            throw new ArgumentException($"layer '{name}': kernel and stride must be > 0 and padding >= 0, got kernel {kernel}, stride {stride}, padding {padding}");
        int span = input + 2 * padding - kernel;
        if (span < 0)
            throw new ArgumentException($"layer '{name}': kernel {kernel} does not fit an input of {input} pixels with padding {padding}; the image is too small for this network");
        return span / stride + 1;
    }

    private FeatureMap NewMap(int channels, int height, int width) => new(channels, height, width, _nextTensorId++);

    /// <summary>Bytes of <paramref name="t"/> if no earlier layer kept it for the backward pass, else 0.</summary>
    private double StoreOnce(FeatureMap t) => _storedTensors.Add(t.Id) ? t.Elements * BytesPerElement : 0;

    /// <summary>A memory-bound kernel moving <paramref name="forwardElements"/> and <paramref name="backwardElements"/>
    /// elements of the training precision per sample (see the class notes for each operation's passes).</summary>
    private StreamKernel Stream(string name, double forwardElements, double backwardElements) =>
        new(name, forwardElements * BytesPerElement, TensorSplit.Replicated, backwardElements * BytesPerElement);

    private void Add(string name, string kind, double forward, double backward, double parameters, FeatureMap x, FeatureMap y, double stored, double extraInputBytes = 0, double bufferBytes = 0,
        int parameterTensors = 0, int bufferTensors = 0, IReadOnlyList<KernelOp>? kernels = null)
    {
        double outputBytes = y.Elements * BytesPerElement;
        _layers.Add(new Layer
        {
            Name = name,
            Kind = kind,
            ForwardFlops = forward,
            BackwardFlops = backward,
            Parameters = parameters,
            OutputActivationBytes = outputBytes,
            ForwardBytes = x.Elements * BytesPerElement + extraInputBytes + outputBytes,
            StoredActivationBytes = stored,
            BufferBytes = bufferBytes,
            ParameterTensors = parameterTensors,
            BufferTensors = bufferTensors,
            Kernels = kernels,
        });
    }
}
