using Xunit;

namespace Courier.Server.Tests.Intake;

/// <summary>
/// Tests that measure the process's managed allocations (<see cref="GC.GetTotalAllocatedBytes"/>) run alone, after
/// the parallel tests, so no other test's allocations are counted.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntakeMemoryCollection
{
    public const string Name = "intake memory";
}
