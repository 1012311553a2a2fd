using System.Text.Json;
using Xunit;
using static Courier.Tests.Contracts.Schemas;

namespace Courier.Tests.Contracts;

/// <summary>Version histories: which pairs each mode checks, deployed versus current schemas, the 2019 incident.</summary>
public sealed class SchemaCompatibilityHistoryTests
{
    [Theory]
    [InlineData(CompatibilityMode.Backward, "1.0.0→2.0.0 2.0.0→3.0.0")]
    [InlineData(CompatibilityMode.BackwardTransitive, "1.0.0→2.0.0 1.0.0→3.0.0 2.0.0→3.0.0")]
    [InlineData(CompatibilityMode.Forward, "")]
    [InlineData(CompatibilityMode.Full, "1.0.0→2.0.0 2.0.0→3.0.0")]
    [InlineData(CompatibilityMode.FullTransitive, "1.0.0→2.0.0 1.0.0→3.0.0 2.0.0→3.0.0")]
    [InlineData(CompatibilityMode.None, "")]
    public void CheckHistory_ChecksThePreviousVersion_OrEveryEarlierOneWhenTransitive(CompatibilityMode mode, string pairs)
    {
        // Each version shortens maxLength: a tightening, which breaks backward only.
        var history = new Dictionary<ParamsSchemaVersion, JsonElement>
        {
            [V3] = Closed("'a':{'type':'string','maxLength':6}"),
            [V1] = Closed("'a':{'type':'string','maxLength':10}"),
            [V2] = Closed("'a':{'type':'string','maxLength':8}"),
        };

        var found = SchemaCompatibilityChecker.CheckHistory("t", history, mode);

        Assert.Equal(pairs, string.Join(' ', found.Select(v => $"{v.OldVersion}→{v.NewVersion}").Order(StringComparer.Ordinal)));
        Assert.All(found, v => Assert.Equal("params.a bounds-tightened", $"{v.Path} {v.Rule}"));
        Assert.All(found, v => Assert.Equal(mode, v.Mode));
    }

    [Fact]
    public void CheckHistory_OrdersVersionsSemantically_NotAsText()
    {
        var history = new Dictionary<ParamsSchemaVersion, JsonElement>
        {
            [new ParamsSchemaVersion(1, 10, 0)] = Closed("'a':{'type':'string','maxLength':4}"),
            [new ParamsSchemaVersion(1, 9, 0)] = Closed("'a':{'type':'string','maxLength':5}"),
        };

        var violation = Assert.Single(SchemaCompatibilityChecker.CheckHistory("t", history, CompatibilityMode.Backward));

        Assert.Equal((new ParamsSchemaVersion(1, 9, 0), new ParamsSchemaVersion(1, 10, 0)), (violation.OldVersion, violation.NewVersion));
    }

    [Fact]
    public void CheckAgainst_NonTransitiveMode_ChecksANewVersionOnlyAgainstTheLatestDeployedOne()
    {
        // Deployed long ago: 1.0.0 had an optional 'b', 2.0.0 dropped it (accepted then, e.g. before checks existed).
        // 3.0.0 adds an optional 'c': compatible with 2.0.0, but jobs written with 1.0.0 may still carry 'b'.
        var deployed = new Dictionary<ParamsSchemaVersion, JsonElement>
        {
            [V1] = Closed("'a':{'type':'string'},'b':{'type':'string'}", "a"),
            [V2] = Closed("'a':{'type':'string'}", "a"),
        };
        var current = new Dictionary<ParamsSchemaVersion, JsonElement>(deployed)
        {
            [V3] = Closed("'a':{'type':'string'},'c':{'type':'string'}", "a"),
        };

        Assert.Empty(SchemaCompatibilityChecker.CheckAgainst("t", deployed, current, CompatibilityMode.Backward));
        var violation = Assert.Single(SchemaCompatibilityChecker.CheckAgainst("t", deployed, current, CompatibilityMode.BackwardTransitive));
        Assert.Equal("t 1.0.0→3.0.0 BACKWARD_TRANSITIVE: params.b: property-removed", violation.ToString()[..violation.ToString().IndexOf(": 3.0.0", StringComparison.Ordinal)]);

        // 3.0.0 that brings 'b' back is compatible with both.
        current[V3] = Closed("'a':{'type':'string'},'b':{'type':'string'},'c':{'type':'string'}", "a");
        Assert.Empty(SchemaCompatibilityChecker.CheckAgainst("t", deployed, current, CompatibilityMode.BackwardTransitive));
    }

    [Fact]
    public void CheckAgainst_ReportsAModifiedPublishedVersion_ButNotAReformattedOne()
    {
        var deployed = new Dictionary<ParamsSchemaVersion, JsonElement> { [V1] = Closed("'a':{'type':'string','maxLength':5}") };
        var reformatted = new Dictionary<ParamsSchemaVersion, JsonElement>
        {
            [V1] = JsonElement.Parse("""{ "required": [], "properties": { "a": { "maxLength": 5.0, "type": "string" } }, "additionalProperties": false, "type": "object" }"""),
        };
        var modified = new Dictionary<ParamsSchemaVersion, JsonElement> { [V1] = Closed("'a':{'type':'string','maxLength':6}") };

        Assert.Empty(SchemaCompatibilityChecker.CheckAgainst("t", deployed, reformatted, CompatibilityMode.FullTransitive));
        var violation = Assert.Single(SchemaCompatibilityChecker.CheckAgainst("t", deployed, modified, CompatibilityMode.None));
        Assert.Equal(SchemaCompatibilityRules.VersionModified, violation.Rule);
        Assert.Equal((V1, V1), (violation.OldVersion, violation.NewVersion));
        Assert.Contains("/properties/a/maxLength", violation.Message, StringComparison.Ordinal);
        Assert.Contains("immutable", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckAgainst_ReportsARemovedPublishedVersion()
    {
        var schema = Closed("'a':{'type':'string'}");
        var deployed = new Dictionary<ParamsSchemaVersion, JsonElement> { [V1] = schema, [V2] = schema };
        var current = new Dictionary<ParamsSchemaVersion, JsonElement> { [V2] = schema };

        var violation = Assert.Single(SchemaCompatibilityChecker.CheckAgainst("t", deployed, current, CompatibilityMode.FullTransitive));

        Assert.Equal($"{SchemaCompatibilityRules.VersionRemoved} 1.0.0", $"{violation.Rule} {violation.OldVersion}");
    }

    [Fact]
    public void CheckAgainst_ChecksAVersionInsertedBetweenDeployedOnes_AgainstBothNeighbours()
    {
        var deployed = new Dictionary<ParamsSchemaVersion, JsonElement>
        {
            [V1] = Closed("'a':{'type':'string','maxLength':10}"),
            [V2] = Closed("'a':{'type':'string','maxLength':10}"),
        };
        var current = new Dictionary<ParamsSchemaVersion, JsonElement>(deployed) { [new ParamsSchemaVersion(1, 5, 0)] = Closed("'a':{'type':'string','maxLength':5}") };

        var found = SchemaCompatibilityChecker.CheckAgainst("t", deployed, current, CompatibilityMode.Full);

        Assert.Equal(["1.0.0→1.5.0 Backward", "1.5.0→2.0.0 Forward"], found.Select(v => $"{v.OldVersion}→{v.NewVersion} {v.Direction}"));
    }

    [Fact]
    public void Incident2019_TitleMovedIntoParamsAsRequired_IsRejected_NamingParamsTitle()
    {
        // massMessage 1.0.0: the page title travels outside params, as top-level page_namespace/page_title, so the
        // params are only the message. 2.0.0 moves the title into params the way the 2019 change did — as one
        // required string, and without its namespace.
        var v1 = Doc("""
            {'type':'object','additionalProperties':false,
             'properties':{'recipient':{'type':'string'},'subject':{'type':'string'},'message':{'type':'string'},'sender':{'type':'string'}},
             'required':['recipient','subject','message','sender']}
            """);
        var v2 = Doc("""
            {'type':'object','additionalProperties':false,
             'properties':{'title':{'type':'string','minLength':1},'recipient':{'type':'string'},'subject':{'type':'string'},'message':{'type':'string'},'sender':{'type':'string'}},
             'required':['title','recipient','subject','message','sender']}
            """);

        var found = SchemaCompatibilityChecker.CheckHistory("massMessage", new Dictionary<ParamsSchemaVersion, JsonElement> { [V1] = v1, [V2] = v2 }, CompatibilityModes.Default);

        Assert.Equal(2, found.Count);
        Assert.All(found, v => Assert.Equal("massMessage 1.0.0→2.0.0 FULL_TRANSITIVE: params.title: property-added-required", v.ToString()[..v.ToString().IndexOf(": 2.0.0", StringComparison.Ordinal)]));
        var backward = Assert.Single(found, v => v.Direction == CompatibilityDirection.Backward);
        Assert.Equal("2.0.0 requires 'title', which 1.0.0 does not define: jobs written with 1.0.0 never carry it, so readers on 2.0.0 refuse every one of them", backward.Message);
        var forward = Assert.Single(found, v => v.Direction == CompatibilityDirection.Forward);
        Assert.Equal("2.0.0 adds 'title' as required, and 1.0.0's closed model (additionalProperties: false) does not allow it: every job written with 2.0.0 carries it, so readers still on 1.0.0 refuse every one of them", forward.Message);
    }

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("0.0.0", true)]
    [InlineData("2.10.3", true)]
    [InlineData("1.0", false)]
    [InlineData("1.0.0.0", false)]
    [InlineData("01.0.0", false)]
    [InlineData("1.0.0-beta", false)]
    [InlineData("+1.0.0", false)]
    [InlineData(" 1.0.0", false)]
    [InlineData("1..0", false)]
    [InlineData("99999999999.0.0", false)]
    [InlineData("current", false)]
    public void SchemaFileVersions_AreOnlyMajorMinorPatch(string text, bool valid)
    {
        Assert.Equal(valid, ParamsSchemaVersion.TryParse(text, out var version));
        if (valid)
        {
            Assert.Equal(text, version.ToString());
        }
    }

    [Fact]
    public void CheckHistory_RefusesTheSameVersionTwice()
    {
        var schema = Closed("'a':{'type':'string'}");
        Assert.Throws<ArgumentException>(() => SchemaCompatibilityChecker.CheckHistory("t", [new(V1, schema), new(new ParamsSchemaVersion(1, 0, 0), schema)], CompatibilityMode.Full));
    }
}
