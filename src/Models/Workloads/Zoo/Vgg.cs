namespace Sim.Models.Workloads;

/// <summary>
/// VGG-16, configuration D of Simonyan and Zisserman, "Very Deep Convolutional Networks for
/// Large-Scale Image Recognition", ICLR 2015 (Table 1): thirteen 3x3 convolutions (with bias, no
/// batch norm) in five stacks separated by 2x2 max pooling, then three fully connected layers. A
/// plain tower of identical floors: the simplest CNN in the zoo and the heaviest in parameters.
/// Dropout layers are omitted (train-time masks on 4096-element vectors: negligible work).
/// </summary>
public static class Vgg
{
    public const string Source = "Simonyan & Zisserman, ICLR 2015, configuration D; torchvision vgg16 layout";

    /// <summary>Output channels per convolution; 0 marks a 2x2 max pool.</summary>
    private static readonly int[] ConfigurationD = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];

    public static ModelSpec Build16(int bytesPerElement, int imageSize = 224, int classes = 1000)
    {
        var b = new CnnBuilder(bytesPerElement, 3, imageSize, imageSize);
        var x = b.Input;
        int index = 0; // torchvision numbers the modules of `features` consecutively
        foreach (int channels in ConfigurationD)
        {
            if (channels == 0)
            {
                x = b.MaxPool($"features.{index++}", x, kernel: 2, stride: 2);
                continue;
            }
            x = b.Conv($"features.{index++}", x, channels, kernel: 3, padding: 1, bias: true);
            x = b.Relu($"features.{index++}", x);
        }
        // torchvision pools adaptively to 7x7 so that other image sizes still fit the 25088-input fc.
        x = b.AdaptiveAvgPool("avgpool", x, 7, 7);
        x = b.Relu("classifier.1", b.Linear("classifier.0", x, 4096));
        x = b.Relu("classifier.4", b.Linear("classifier.3", x, 4096));
        b.Linear("classifier.6", x, classes);
        return b.Build("vgg16", Source);
    }
}
