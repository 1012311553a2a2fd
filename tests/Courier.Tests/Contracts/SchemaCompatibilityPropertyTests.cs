using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Xunit;
using static Courier.Tests.Contracts.Schemas;

namespace Courier.Tests.Contracts;

/// <summary>
/// Properties of the compatibility checker over random schemas and random changes to them, judged where it matters
/// by a real validator: a pair the checker passes must not have a params object that one side accepts and the
/// reading side refuses. Each case is drawn from a seed, so CsCheck's reported seed replays it.
/// </summary>
public sealed class SchemaCompatibilityPropertyTests
{
    private const int InstancesPerPair = 60;

    [Fact]
    public void AnySchema_IsFullyCompatibleWithItself()
    {
        Gen.Int.Sample(seed =>
        {
            var gen = new SchemaGen(new Random(seed));
            var schema = SchemaGen.ToElement(seed % 2 == 0 ? gen.ClosedObject() : gen.Schema(3));
            var found = SchemaCompatibilityChecker.Compare("t", V1, schema, V2, schema, CompatibilityMode.FullTransitive);
            Assert.True(found.Count == 0, $"{schema.GetRawText()}\n{string.Join("\n", found)}");
        }, iter: 2000);
    }

    [Fact]
    public void AddingAnOptionalProperty_ToAClosedModel_IsBackwardCompatible_ButNotForward()
    {
        Gen.Int.Sample(seed =>
        {
            var gen = new SchemaGen(new Random(seed));
            var older = gen.ClosedObject();
            var newer = (JsonObject)older.DeepClone();
            ((JsonObject)newer["properties"]!)["added"] = gen.Schema(2);

            var backward = SchemaCompatibilityChecker.Compare("t", V1, SchemaGen.ToElement(older), V2, SchemaGen.ToElement(newer), CompatibilityMode.BackwardTransitive);
            var forward = SchemaCompatibilityChecker.Compare("t", V1, SchemaGen.ToElement(older), V2, SchemaGen.ToElement(newer), CompatibilityMode.ForwardTransitive);

            Assert.Empty(backward);
            // Old readers' closed model refuses the new name — unless the new property can never be present.
            if (newer["properties"]!["added"] is not JsonValue { } never || never.GetValue<bool>())
            {
                Assert.Equal("params.added property-added", Assert.Single(forward).Path + " " + Assert.Single(forward).Rule);
            }
        }, iter: 1000);
    }

    [Fact]
    public void AddingAnOptionalProperty_ToAnOpenModel_IsForwardCompatible_AndBackwardOnlyWhenUnconstrained()
    {
        Gen.Int.Sample(seed =>
        {
            var gen = new SchemaGen(new Random(seed));
            var older = gen.ClosedObject();
            older.Remove("additionalProperties");
            var newer = (JsonObject)older.DeepClone();
            var added = gen.Schema(2);
            ((JsonObject)newer["properties"]!)["added"] = added;

            var forward = SchemaCompatibilityChecker.Compare("t", V1, SchemaGen.ToElement(older), V2, SchemaGen.ToElement(newer), CompatibilityMode.Forward);
            var backward = SchemaCompatibilityChecker.Compare("t", V1, SchemaGen.ToElement(older), V2, SchemaGen.ToElement(newer), CompatibilityMode.Backward);

            Assert.Empty(forward);
            // Old jobs may already carry 'added' with any value: only a definition that takes any value reads them all.
            var unconstrained = added is JsonValue v ? v.GetValue<bool>() : ((JsonObject)added).All(p => p.Key == "description");
            if (unconstrained)
            {
                Assert.Empty(backward);
            }
            else if (backward.Count > 0)
            {
                Assert.Equal("params.added property-added", Assert.Single(backward).Path + " " + Assert.Single(backward).Rule);
            }
        }, iter: 1000);
    }

    [Fact]
    public void APassedBackwardChange_NeverRefusesAnOldValidInstance()
    {
        var counts = new SoundnessCounts();
        Gen.Int.Sample(seed => CheckSoundness(seed, CompatibilityMode.Backward, counts), iter: 1500);
        counts.AssertNotVacuous();
    }

    [Fact]
    public void APassedForwardChange_NeverMakesANewValidInstanceInvalidForOldReaders()
    {
        var counts = new SoundnessCounts();
        Gen.Int.Sample(seed => CheckSoundness(seed, CompatibilityMode.Forward, counts), iter: 1500);
        counts.AssertNotVacuous();
    }

    [Fact]
    public void AReportedViolation_HasAPathThatNamesAField_AndAKnownRule()
    {
        Gen.Int.Sample(seed =>
        {
            var gen = new SchemaGen(new Random(seed));
            var older = gen.ClosedObject();
            var newer = gen.Mutate(older);
            foreach (var v in SchemaCompatibilityChecker.Compare("t", V1, SchemaGen.ToElement(older), V2, SchemaGen.ToElement(newer), CompatibilityMode.FullTransitive))
            {
                Assert.Contains(v.Rule, SchemaCompatibilityRules.All);
                Assert.Matches(@"^params(\.[a-z]+|\[\]|\.\*)*$", v.Path);
                Assert.Contains("2.0.0", v.Message, StringComparison.Ordinal);
            }
        }, iter: 1000);
    }

    [Fact]
    public void BackwardFromOldToNew_IsForwardFromNewToOld()
    {
        Gen.Int.Sample(seed =>
        {
            var gen = new SchemaGen(new Random(seed));
            var a = gen.ClosedObject();
            var b = gen.Mutate(a);
            var there = Paths(SchemaCompatibilityChecker.Compare("t", V1, SchemaGen.ToElement(a), V2, SchemaGen.ToElement(b), CompatibilityMode.Backward));
            var back = Paths(SchemaCompatibilityChecker.Compare("t", V1, SchemaGen.ToElement(b), V2, SchemaGen.ToElement(a), CompatibilityMode.Forward));
            Assert.Equal(there, back);
        }, iter: 1000);
    }

    [Theory]
    [InlineData(CompatibilityMode.Backward)]
    [InlineData(CompatibilityMode.Forward)]
    public void PassedSteps_ComposeIntoAPassedChain(CompatibilityMode mode)
    {
        // Compatibility is set inclusion, which is transitive: when 1→2 and 2→3 pass, 1→3 passes too. (The
        // transitive modes therefore add findings only where a step of the history itself breaks — a version that
        // was published before checks existed, or under NONE — as CheckAgainst's tests show.)
        var chains = 0;
        Gen.Int.Sample(seed =>
        {
            var gen = new SchemaGen(new Random(seed));
            var v1 = gen.ClosedObject();
            var v2 = gen.Mutate(v1);
            var v3 = gen.Mutate(v2);
            var history = new Dictionary<ParamsSchemaVersion, JsonElement> { [V1] = SchemaGen.ToElement(v1), [V2] = SchemaGen.ToElement(v2), [V3] = SchemaGen.ToElement(v3) };
            if (SchemaCompatibilityChecker.CheckHistory("t", history, mode).Count > 0)
            {
                return;
            }
            Interlocked.Increment(ref chains);
            var transitive = mode == CompatibilityMode.Backward ? CompatibilityMode.BackwardTransitive : CompatibilityMode.ForwardTransitive;
            var found = SchemaCompatibilityChecker.CheckHistory("t", history, transitive);
            Assert.True(found.Count == 0, $"{string.Join("\n", found)}\nv1: {history[V1].GetRawText()}\nv2: {history[V2].GetRawText()}\nv3: {history[V3].GetRawText()}");
        }, iter: 1500);
        Assert.True(chains > 100, $"only {chains} chains passed step by step");
    }

    /// <summary>
    /// For one random pair (old, changed old): when the checker passes it in the mode's direction, the writer's
    /// valid instances must all be valid for the reader.
    /// </summary>
    private static void CheckSoundness(int seed, CompatibilityMode mode, SoundnessCounts counts)
    {
        var gen = new SchemaGen(new Random(seed));
        // Mostly closed params objects; sometimes any object-shaped schema (open models, nested arrays).
        var older = seed % 4 == 0 && gen.Schema(3) is JsonObject any ? any : gen.ClosedObject();
        var newer = gen.Mutate(older);
        var oldElement = SchemaGen.ToElement(older);
        var newElement = SchemaGen.ToElement(newer);
        if (SchemaCompatibilityChecker.Compare("t", V1, oldElement, V2, newElement, mode).Count > 0)
        {
            return;
        }
        Interlocked.Increment(ref counts.PassedPairs);
        if (!JsonNode.DeepEquals(older, newer))
        {
            Interlocked.Increment(ref counts.PassedChanges);
        }
        var backward = mode == CompatibilityMode.Backward;
        var writer = backward ? older : newer;
        var writerOracle = new SchemaOracle(backward ? oldElement : newElement);
        var readerOracle = new SchemaOracle(backward ? newElement : oldElement);
        for (var i = 0; i < InstancesPerPair; i++)
        {
            var instance = SchemaGen.ToElement(gen.Instance(writer, writer));
            if (writerOracle.Accepts(instance))
            {
                Interlocked.Increment(ref counts.JudgedInstances);
                Assert.True(readerOracle.Accepts(instance),
                    $"{mode} passed, but the reader refuses a valid instance.\nold: {oldElement.GetRawText()}\nnew: {newElement.GetRawText()}\ninstance: {instance.GetRawText()}");
            }
        }
    }

    private sealed class SoundnessCounts
    {
        public int PassedPairs;
        public int PassedChanges;
        public int JudgedInstances;

        /// <summary>The property must not hold vacuously: many random changes pass, and many instances are valid for the writer.</summary>
        public void AssertNotVacuous()
        {
            Assert.True(PassedPairs > 150, $"only {PassedPairs} passed pairs were judged");
            Assert.True(PassedChanges > 100, $"only {PassedChanges} passed pairs differ at all");
            Assert.True(JudgedInstances > PassedPairs * 10, $"only {JudgedInstances} valid instances were judged over {PassedPairs} pairs");
        }
    }

    private static string[] Paths(IEnumerable<SchemaCompatibilityViolation> found) =>
        found.Select(v => v.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
}
