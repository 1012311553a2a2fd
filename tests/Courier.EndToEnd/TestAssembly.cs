using Xunit;

// Each test here drives a whole dispatcher (or a child `courier up` process) with thousands of jobs. Run them one
// at a time so one test's load cannot eat another's deadlines on a 2-core CI machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
