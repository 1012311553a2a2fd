using System.Text.Json;
using Courier.Testing;
using Xunit;

namespace Courier.Tests.Contracts;

public sealed class ParamsSchemaRegistryTests
{
    private const string Name = "\"name\": {\"type\": \"string\"}";

    [Fact]
    public void Load_ReadsTheDemoSchemas_OfTheRepository()
    {
        var registry = ParamsSchemaRegistry.Load(RepositoryRoot.SchemaDirectory);

        Assert.Equal(["htmlCacheUpdate", "massMessage", "refreshLinks"], registry.JobTypes);
        Assert.Equal("1.0.0", registry.GetLatest("massMessage")!.Version.ToString());
        var massMessage = JsonElement.Parse("""
            {"title": {"namespace": 3, "dbkey": "Example"}, "recipient": "Example", "subject": "s", "message": "m", "sender": "x"}
            """);
        Assert.Equal(ParamsCheckOutcome.Valid, registry.Check("massMessage", "1.0.0", massMessage, requireSchema: true, requireVersion: true).Outcome);
    }

    [Fact]
    public void Load_IgnoresTopLevelFilesOtherFilesAndHiddenDirectories()
    {
        using var dir = new SchemaDirectory();
        dir.Write("alpha", "1.0.0.json", SchemaDirectory.Closed(Name));
        dir.Write("alpha", "NOTES.md", "not a schema");
        dir.Write(".git", "1.0.0.json", "not json at all");
        File.WriteAllText(Path.Combine(dir.Path, "README.md"), "# schemas");

        var registry = dir.Load();

        Assert.Equal(["alpha"], registry.JobTypes);
        Assert.Equal(dir.Path, registry.Directory);
    }

    [Fact]
    public void GetLatest_IsTheNumericallyNewestVersion()
    {
        using var dir = new SchemaDirectory();
        foreach (var version in new[] { "1.9.0", "1.10.0", "1.2.0" })
        {
            dir.Write("alpha", version + ".json", SchemaDirectory.Closed(Name));
        }

        var registry = dir.Load();

        Assert.Equal("1.10.0", registry.GetLatest("alpha")!.Version.ToString());
        Assert.Equal(["1.2.0", "1.9.0", "1.10.0"], registry.GetVersions("alpha").Select(s => s.Version.ToString()));
        Assert.NotNull(registry.Find("alpha", ParamsSchemaVersion.Parse("1.9.0")));
        Assert.Null(registry.Find("alpha", ParamsSchemaVersion.Parse("1.9.1")));
        Assert.Null(registry.GetLatest("beta"));
        Assert.Empty(registry.GetVersions("beta"));
    }

    [Fact]
    public void Load_NamesTheFile_WhenItIsNotJson()
    {
        using var dir = new SchemaDirectory();
        var file = dir.Write("alpha", "1.0.0.json", "{\"type\": \"object\",");

        var e = Assert.Throws<ParamsSchemaException>(dir.Load);

        Assert.StartsWith(file + ": not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamesTheFile_WhenItHasADuplicateKey()
    {
        using var dir = new SchemaDirectory();
        var file = dir.Write("alpha", "1.0.0.json", "{\"type\": \"object\", \"type\": \"string\", \"additionalProperties\": false}");

        var e = Assert.Throws<ParamsSchemaException>(dir.Load);

        Assert.StartsWith(file + ": not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0.json")]
    [InlineData("v1.0.0.json")]
    [InlineData("latest.json")]
    [InlineData("01.0.0.json")]
    public void Load_NamesTheFile_WhenItsNameIsNotAVersion(string fileName)
    {
        using var dir = new SchemaDirectory();
        var file = dir.Write("alpha", fileName, SchemaDirectory.Closed(Name));

        var e = Assert.Throws<ParamsSchemaException>(dir.Load);

        Assert.StartsWith(file + ": the file name is not a schema version", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\": \"object\", \"properties\": {}}")]
    [InlineData("{\"type\": \"object\", \"additionalProperties\": true}")]
    [InlineData("{\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}}")]
    [InlineData("{\"type\": \"object\", \"unevaluatedProperties\": false}")]
    public void Load_RefusesASchemaWithoutAClosedContentModel(string json)
    {
        using var dir = new SchemaDirectory();
        var file = dir.Write("alpha", "1.0.0.json", json);

        var e = Assert.Throws<ParamsSchemaException>(dir.Load);

        Assert.Equal(file + ": the top level must say \"additionalProperties\": false (params schemas use a closed content model)", e.Message);
    }

    [Theory]
    [InlineData("[]", "a params schema is a JSON object, got array")]
    [InlineData("{\"additionalProperties\": false}", "\"type\": \"object\"")]
    [InlineData("{\"type\": \"string\", \"additionalProperties\": false}", "\"type\": \"object\"")]
    [InlineData("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\", \"additionalProperties\": false}", "draft 2020-12")]
    [InlineData("{\"type\": \"object\", \"additionalProperties\": false, \"properties\": {\"a\": {\"minLength\": \"x\"}}}", "not a valid JSON Schema")]
    [InlineData("{\"type\": \"object\", \"additionalProperties\": false, \"required\": \"a\"}", "not a valid JSON Schema")]
    [InlineData("{\"type\": \"object\", \"additionalProperties\": false, \"allOf\": [{\"$ref\": \"other.json\"}]}", "not a valid JSON Schema")]
    public void Load_NamesTheFileAndTheProblem_WhenTheSchemaIsUnusable(string json, string problem)
    {
        using var dir = new SchemaDirectory();
        var file = dir.Write("alpha", "1.0.0.json", json);

        var e = Assert.Throws<ParamsSchemaException>(dir.Load);

        Assert.StartsWith(file + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ListsEveryProblem_NotOnlyTheFirst()
    {
        using var dir = new SchemaDirectory();
        var badJson = dir.Write("alpha", "1.0.0.json", "nope");
        var badName = dir.Write("beta", "1.0.json", SchemaDirectory.Closed(Name));
        var open = dir.Write("gamma", "2.0.0.json", "{\"type\": \"object\"}");
        dir.Write("delta", "1.0.0.json", SchemaDirectory.Closed(Name));

        var e = Assert.Throws<ParamsSchemaException>(dir.Load);

        Assert.Equal(3, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith(badJson, StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith(badName, StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith(open, StringComparison.Ordinal));
        Assert.Contains("3 problems", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefusesAMissingDirectory_AndATypeDirectoryWithoutVersions()
    {
        using var dir = new SchemaDirectory();
        var missing = Path.Combine(dir.Path, "nowhere");
        Assert.Contains("does not exist", Assert.Throws<ParamsSchemaException>(() => ParamsSchemaRegistry.Load(missing)).Message, StringComparison.Ordinal);

        dir.Write("alpha", "README.md", "no versions here");
        var e = Assert.Throws<ParamsSchemaException>(dir.Load);
        Assert.Contains("alpha: no schema versions", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RefusesTheSameVersionTwice()
    {
        var one = ParamsSchema.Parse("alpha", new ParamsSchemaVersion(1, 0, 0), SchemaDirectory.Closed(Name), "a.json");
        var two = ParamsSchema.Parse("alpha", new ParamsSchemaVersion(1, 0, 0), SchemaDirectory.Closed(Name), "b.json");

        var e = Assert.Throws<ParamsSchemaException>(() => ParamsSchemaRegistry.Create([one, two]));

        Assert.Contains("version 1.0.0 twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schemas_WithTheSameId_LoadSideBySide()
    {
        // JsonSchema.Net registers schemas by $id; two versions (or two loads) with one $id must not collide.
        using var dir = new SchemaDirectory();
        var withId = "{\"$id\": \"https://example.org/alpha\", " + SchemaDirectory.Closed(Name)[1..];
        dir.Write("alpha", "1.0.0.json", withId);
        dir.Write("alpha", "1.1.0.json", withId);

        Assert.Equal(2, dir.Load().GetVersions("alpha").Count);
        Assert.Equal(2, dir.Load().GetVersions("alpha").Count);
    }
}
