// The tests share one LibTorch: its random generator (seeded models and inputs), its thread count and the cores the
// profiler times on. Run one test class at a time so that a seeded model is the same in every run and a timing is
// not taken while another test computes.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
