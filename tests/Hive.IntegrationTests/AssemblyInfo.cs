// Each collection starts a whole fleet; two at once on a 2-core machine starve each other's timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
