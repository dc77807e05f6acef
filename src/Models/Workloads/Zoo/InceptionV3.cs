namespace Sim.Models.Workloads;

/// <summary>
/// Inception-v3 (Szegedy, Vanhoucke, Ioffe, Shlens and Wojna, "Rethinking the Inception
/// Architecture for Computer Vision", CVPR 2016) in torchvision's Inception3 layout at 299x299:
/// stem, 3x InceptionA, InceptionB, 4x InceptionC, InceptionD, 2x InceptionE, classifier. Each block
/// is a junction where the input takes several roads of different lengths (1x1, factorised 7x7,
/// pooled) and the lanes merge again by channel concatenation. The auxiliary classifier is excluded:
/// it only runs in training and torchvision drops it from its FLOP figure.
/// Every convolution is BasicConv2d: conv without bias, batch norm, ReLU.
/// </summary>
public static class InceptionV3
{
    public const string Source = "Szegedy et al., CVPR 2016; torchvision Inception3 layout without the auxiliary classifier";

    public static ModelSpec Build(int bytesPerElement, int imageSize = 299, int classes = 1000)
    {
        var b = new CnnBuilder(bytesPerElement, 3, imageSize, imageSize);
        var x = b.ConvBnRelu("Conv2d_1a_3x3", b.Input, 32, kernel: 3, stride: 2);
        x = b.ConvBnRelu("Conv2d_2a_3x3", x, 32, kernel: 3);
        x = b.ConvBnRelu("Conv2d_2b_3x3", x, 64, kernel: 3, padding: 1);
        x = b.MaxPool("maxpool1", x, kernel: 3, stride: 2);
        x = b.ConvBnRelu("Conv2d_3b_1x1", x, 80, kernel: 1);
        x = b.ConvBnRelu("Conv2d_4a_3x3", x, 192, kernel: 3);
        x = b.MaxPool("maxpool2", x, kernel: 3, stride: 2);

        x = InceptionA(b, "Mixed_5b", x, poolFeatures: 32);
        x = InceptionA(b, "Mixed_5c", x, poolFeatures: 64);
        x = InceptionA(b, "Mixed_5d", x, poolFeatures: 64);
        x = InceptionB(b, "Mixed_6a", x);
        x = InceptionC(b, "Mixed_6b", x, channels7x7: 128);
        x = InceptionC(b, "Mixed_6c", x, channels7x7: 160);
        x = InceptionC(b, "Mixed_6d", x, channels7x7: 160);
        x = InceptionC(b, "Mixed_6e", x, channels7x7: 192);
        x = InceptionD(b, "Mixed_7a", x);
        x = InceptionE(b, "Mixed_7b", x);
        x = InceptionE(b, "Mixed_7c", x);

        x = b.AdaptiveAvgPool("avgpool", x, 1, 1);
        b.Linear("fc", x, classes);
        return b.Build("inception_v3", Source);
    }

    private static readonly (int, int) One = (1, 1);

    private static FeatureMap Conv(CnnBuilder b, string name, FeatureMap x, int outChannels, (int, int) kernel, (int, int) padding) =>
        b.ConvBnRelu(name, x, outChannels, kernel, One, padding);

    private static FeatureMap InceptionA(CnnBuilder b, string p, FeatureMap x, int poolFeatures)
    {
        var branch1x1 = b.ConvBnRelu($"{p}.branch1x1", x, 64, kernel: 1);
        var branch5x5 = b.ConvBnRelu($"{p}.branch5x5_1", x, 48, kernel: 1);
        branch5x5 = b.ConvBnRelu($"{p}.branch5x5_2", branch5x5, 64, kernel: 5, padding: 2);
        var dbl = b.ConvBnRelu($"{p}.branch3x3dbl_1", x, 64, kernel: 1);
        dbl = b.ConvBnRelu($"{p}.branch3x3dbl_2", dbl, 96, kernel: 3, padding: 1);
        dbl = b.ConvBnRelu($"{p}.branch3x3dbl_3", dbl, 96, kernel: 3, padding: 1);
        var pool = b.AvgPool($"{p}.avg_pool", x, kernel: 3, stride: 1, padding: 1);
        pool = b.ConvBnRelu($"{p}.branch_pool", pool, poolFeatures, kernel: 1);
        return b.Concat($"{p}.cat", branch1x1, branch5x5, dbl, pool);
    }

    private static FeatureMap InceptionB(CnnBuilder b, string p, FeatureMap x)
    {
        var branch3x3 = b.ConvBnRelu($"{p}.branch3x3", x, 384, kernel: 3, stride: 2);
        var dbl = b.ConvBnRelu($"{p}.branch3x3dbl_1", x, 64, kernel: 1);
        dbl = b.ConvBnRelu($"{p}.branch3x3dbl_2", dbl, 96, kernel: 3, padding: 1);
        dbl = b.ConvBnRelu($"{p}.branch3x3dbl_3", dbl, 96, kernel: 3, stride: 2);
        var pool = b.MaxPool($"{p}.max_pool", x, kernel: 3, stride: 2);
        return b.Concat($"{p}.cat", branch3x3, dbl, pool);
    }

    private static FeatureMap InceptionC(CnnBuilder b, string p, FeatureMap x, int channels7x7)
    {
        int c7 = channels7x7;
        var branch1x1 = b.ConvBnRelu($"{p}.branch1x1", x, 192, kernel: 1);
        var b7 = b.ConvBnRelu($"{p}.branch7x7_1", x, c7, kernel: 1);
        b7 = Conv(b, $"{p}.branch7x7_2", b7, c7, (1, 7), (0, 3));
        b7 = Conv(b, $"{p}.branch7x7_3", b7, 192, (7, 1), (3, 0));
        var dbl = b.ConvBnRelu($"{p}.branch7x7dbl_1", x, c7, kernel: 1);
        dbl = Conv(b, $"{p}.branch7x7dbl_2", dbl, c7, (7, 1), (3, 0));
        dbl = Conv(b, $"{p}.branch7x7dbl_3", dbl, c7, (1, 7), (0, 3));
        dbl = Conv(b, $"{p}.branch7x7dbl_4", dbl, c7, (7, 1), (3, 0));
        dbl = Conv(b, $"{p}.branch7x7dbl_5", dbl, 192, (1, 7), (0, 3));
        var pool = b.AvgPool($"{p}.avg_pool", x, kernel: 3, stride: 1, padding: 1);
        pool = b.ConvBnRelu($"{p}.branch_pool", pool, 192, kernel: 1);
        return b.Concat($"{p}.cat", branch1x1, b7, dbl, pool);
    }

    private static FeatureMap InceptionD(CnnBuilder b, string p, FeatureMap x)
    {
        var b3 = b.ConvBnRelu($"{p}.branch3x3_1", x, 192, kernel: 1);
        b3 = b.ConvBnRelu($"{p}.branch3x3_2", b3, 320, kernel: 3, stride: 2);
        var b7 = b.ConvBnRelu($"{p}.branch7x7x3_1", x, 192, kernel: 1);
        b7 = Conv(b, $"{p}.branch7x7x3_2", b7, 192, (1, 7), (0, 3));
        b7 = Conv(b, $"{p}.branch7x7x3_3", b7, 192, (7, 1), (3, 0));
        b7 = b.ConvBnRelu($"{p}.branch7x7x3_4", b7, 192, kernel: 3, stride: 2);
        var pool = b.MaxPool($"{p}.max_pool", x, kernel: 3, stride: 2);
        return b.Concat($"{p}.cat", b3, b7, pool);
    }

    private static FeatureMap InceptionE(CnnBuilder b, string p, FeatureMap x)
    {
        var branch1x1 = b.ConvBnRelu($"{p}.branch1x1", x, 320, kernel: 1);
        var b3 = b.ConvBnRelu($"{p}.branch3x3_1", x, 384, kernel: 1);
        var b3a = Conv(b, $"{p}.branch3x3_2a", b3, 384, (1, 3), (0, 1));
        var b3b = Conv(b, $"{p}.branch3x3_2b", b3, 384, (3, 1), (1, 0));
        var dbl = b.ConvBnRelu($"{p}.branch3x3dbl_1", x, 448, kernel: 1);
        dbl = b.ConvBnRelu($"{p}.branch3x3dbl_2", dbl, 384, kernel: 3, padding: 1);
        var dblA = Conv(b, $"{p}.branch3x3dbl_3a", dbl, 384, (1, 3), (0, 1));
        var dblB = Conv(b, $"{p}.branch3x3dbl_3b", dbl, 384, (3, 1), (1, 0));
        var pool = b.AvgPool($"{p}.avg_pool", x, kernel: 3, stride: 1, padding: 1);
        pool = b.ConvBnRelu($"{p}.branch_pool", pool, 192, kernel: 1);
        // torchvision concatenates the split 1x3/3x1 outputs first; one copy of the final map suffices here.
        return b.Concat($"{p}.cat", branch1x1, b3a, b3b, dblA, dblB, pool);
    }
}
