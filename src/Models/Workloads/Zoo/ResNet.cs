namespace Sim.Models.Workloads;

/// <summary>
/// Bottleneck residual networks (He, Zhang, Ren and Sun, "Deep Residual Learning for Image
/// Recognition", CVPR 2016, Table 1): a stem, four stages of bottleneck blocks and a classifier.
/// Each block is a three-storey building (1x1 reduce, 3x3, 1x1 expand) with a lift shaft (the
/// shortcut) bypassing all floors. Layer names follow torchvision's module names so profiler traces
/// line up with them.
/// </summary>
public static class ResNet
{
    public const string Source = "He et al., CVPR 2016 (bottleneck ResNet); torchvision resnet layout";

    /// <summary>Blocks per stage: ResNet-50 [3,4,6,3], ResNet-101 [3,4,23,3].</summary>
    public static readonly int[] ResNet50Blocks = [3, 4, 6, 3];
    public static readonly int[] ResNet101Blocks = [3, 4, 23, 3];

    /// <summary>
    /// Builds a bottleneck ResNet. <paramref name="strideOnThreeByThree"/> = true is torchvision's
    /// "v1.5" (the downsampling stride sits on the 3x3 convolution; published 4.09 GMACs for
    /// ResNet-50); false is the original paper's placement on the first 1x1 convolution (published
    /// 3.8e9 multiply-adds). Parameters are identical.
    /// </summary>
    public static ModelSpec Build(string name, int[] blocksPerStage, int bytesPerElement, int imageSize = 224, int classes = 1000, bool strideOnThreeByThree = true)
    {
        if (blocksPerStage.Length != 4 || blocksPerStage.Any(n => n <= 0))
            throw new ArgumentException($"ResNet needs four positive stage depths, got [{string.Join(",", blocksPerStage)}]");
        var b = new CnnBuilder(bytesPerElement, 3, imageSize, imageSize);
        var x = b.Conv("conv1", b.Input, 64, kernel: 7, stride: 2, padding: 3);
        x = b.BatchNorm("bn1", x);
        x = b.Relu("relu", x);
        x = b.MaxPool("maxpool", x, kernel: 3, stride: 2, padding: 1);

        const int expansion = 4;
        for (int stage = 0; stage < 4; stage++)
        {
            int planes = 64 << stage;
            for (int block = 0; block < blocksPerStage[stage]; block++)
            {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = Bottleneck(b, $"layer{stage + 1}.{block}", x, planes, expansion, stride, strideOnThreeByThree);
            }
        }

        x = b.AdaptiveAvgPool("avgpool", x, 1, 1);
        b.Linear("fc", x, classes);
        return b.Build(name, Source);
    }

    private static FeatureMap Bottleneck(CnnBuilder b, string p, FeatureMap input, int planes, int expansion, int stride, bool strideOnThreeByThree)
    {
        int s1 = strideOnThreeByThree ? 1 : stride, s3 = strideOnThreeByThree ? stride : 1;
        var y = b.Conv($"{p}.conv1", input, planes, kernel: 1, stride: s1);
        y = b.Relu($"{p}.relu1", b.BatchNorm($"{p}.bn1", y));
        y = b.Conv($"{p}.conv2", y, planes, kernel: 3, stride: s3, padding: 1);
        y = b.Relu($"{p}.relu2", b.BatchNorm($"{p}.bn2", y));
        y = b.BatchNorm($"{p}.bn3", b.Conv($"{p}.conv3", y, planes * expansion, kernel: 1));

        var shortcut = input;
        if (stride != 1 || input.Channels != planes * expansion)
            shortcut = b.BatchNorm($"{p}.downsample.1", b.Conv($"{p}.downsample.0", input, planes * expansion, kernel: 1, stride: stride));
        return b.Relu($"{p}.relu3", b.Residual($"{p}.add", y, shortcut));
    }
}
