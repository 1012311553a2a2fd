using Xunit;

// One browser and one dispatcher at a time: the machines running these have two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
