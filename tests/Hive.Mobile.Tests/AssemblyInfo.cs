// The fleet collection starts a whole fleet; tests beside it on a 2-core machine would starve its timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
