// Tests in this assembly run one at a time: several of them time real kernels and real
// multi-process training on a small shared machine, and timing tests that compete with each
// other measure the competition rather than the hardware.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
