using System.Text.Json;
using Courier.Cli;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier schema check</c> as a separate process: output lines, JSON, exit codes, deployed schemas from a directory or git.</summary>
public sealed class SchemaCheckCommandTests
{
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(60);

    private const string V1 = """
        { "type": "object", "additionalProperties": false, "required": ["page"],
          "properties": { "page": { "type": "string", "maxLength": 255 } } }
        """;

    // V1 plus an optional property: backward compatible (closed model), not forward (old readers refuse it).
    private const string V1WithOptional = """
        { "type": "object", "additionalProperties": false, "required": ["page"],
          "properties": { "page": { "type": "string", "maxLength": 255 }, "reason": { "type": "string" } } }
        """;

    private static string IncidentFixture => Path.Combine(AppContext.BaseDirectory, "Cli", "SchemaFixtures", "incident");

    [Fact]
    public async Task Check_TheIncidentChange_ExitsOne_NamingParamsTitleInBothDirections()
    {
        var (code, stdout, stderr) = await RunAsync("schema", "check", "--dir", IncidentFixture);

        Assert.True(ExitCodes.Failure == code, stderr);
        var lines = Lines(stdout);
        Assert.Equal(3, lines.Length);
        Assert.All(lines[..2], line => Assert.StartsWith("massMessage 1.0.0→2.0.0 FULL_TRANSITIVE: params.title: property-added-required: ", line, StringComparison.Ordinal));
        Assert.Contains("jobs written with 1.0.0 never carry it, so readers on 2.0.0 refuse every one of them", lines[0], StringComparison.Ordinal);
        Assert.Contains("readers still on 1.0.0 refuse every one of them", lines[1], StringComparison.Ordinal);
        Assert.Equal($"schema check: 2 violations in massMessage — 1 job type, 2 versions in {IncidentFixture}.", lines[2]);
    }

    [Fact]
    public async Task Check_Json_ListsTypesAndViolations()
    {
        var (code, stdout, _) = await RunAsync("schema", "check", "--dir", IncidentFixture, "--json", "--mode", "backward");

        Assert.Equal(ExitCodes.Failure, code);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.False(root.GetProperty("compatible").GetBoolean());
        var type = Assert.Single(root.GetProperty("types").EnumerateArray());
        Assert.Equal("BACKWARD", type.GetProperty("mode").GetString());
        Assert.Equal(["1.0.0", "2.0.0"], type.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        var violation = Assert.Single(root.GetProperty("violations").EnumerateArray());
        Assert.Equal("massMessage", violation.GetProperty("type").GetString());
        Assert.Equal("1.0.0", violation.GetProperty("old_version").GetString());
        Assert.Equal("2.0.0", violation.GetProperty("new_version").GetString());
        Assert.Equal("backward", violation.GetProperty("direction").GetString());
        Assert.Equal("params.title", violation.GetProperty("path").GetString());
        Assert.Equal("property-added-required", violation.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Check_ModesComeFromCompatibilityJson_AndMayBeOverridden()
    {
        using var dir = new TempDirectory("schema-check");
        Write(dir.Path, "refreshLinks/1.0.0.json", V1);
        Write(dir.Path, "refreshLinks/1.1.0.json", V1WithOptional);

        // Default FULL_TRANSITIVE: the optional property breaks readers still on 1.0.0.
        var (code, stdout, _) = await RunAsync("schema", "check", "--dir", dir.Path);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith("refreshLinks 1.0.0→1.1.0 FULL_TRANSITIVE: params.reason: property-added: ", stdout, StringComparison.Ordinal);

        // Runners of this type deploy first: BACKWARD_TRANSITIVE allows it.
        Write(dir.Path, "compatibility.json", """
            // refreshLinks runners are upgraded before its producers.
            { "default": "FULL_TRANSITIVE", "types": { "refreshLinks": "BACKWARD_TRANSITIVE", "gone": "NONE" } }
            """);
        (code, stdout, var stderr) = await RunAsync("schema", "check", "--dir", dir.Path);
        Assert.True(ExitCodes.Ok == code, stdout + stderr);
        Assert.Equal($"schema check: compatible — 1 job type, 2 versions in {dir.Path}.", Lines(stdout).Single());
        Assert.Contains("warning: compatibility.json names job type 'gone', which has no schemas", stderr, StringComparison.Ordinal);

        (code, _, _) = await RunAsync("schema", "check", "--dir", dir.Path, "--mode", "FORWARD");
        Assert.Equal(ExitCodes.Failure, code);
    }

    [Fact]
    public async Task Check_TypeFilter_ChecksOnlyThatType_AndRefusesAnUnknownOne()
    {
        using var dir = new TempDirectory("schema-check");
        Write(dir.Path, "good/1.0.0.json", V1);
        Write(dir.Path, "good/1.0.1.json", V1.Replace("\"maxLength\": 255", "\"maxLength\": 255, \"description\": \"the page\"", StringComparison.Ordinal));
        Write(dir.Path, "bad/1.0.0.json", V1);
        Write(dir.Path, "bad/2.0.0.json", V1.Replace("255", "100", StringComparison.Ordinal));

        var (code, stdout, _) = await RunAsync("schema", "check", "--dir", dir.Path, "--type", "good");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("compatible — 1 job type, 2 versions", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await RunAsync("schema", "check", "--dir", dir.Path);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith("bad 1.0.0→2.0.0 FULL_TRANSITIVE: params.page: bounds-tightened: maxLength 255 → 100", stdout, StringComparison.Ordinal);

        (code, _, var stderr) = await RunAsync("schema", "check", "--dir", dir.Path, "--type", "nosuch");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--type: no schemas for job type 'nosuch'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AgainstADirectory_ReportsAModifiedVersion_AndChecksNewOnesAgainstTheDeployed()
    {
        using var deployed = new TempDirectory("schema-check");
        using var current = new TempDirectory("schema-check");
        Write(deployed.Path, "massMessage/1.0.0.json", V1);
        Write(current.Path, "massMessage/1.0.0.json", V1.Replace("255", "200", StringComparison.Ordinal));
        Write(current.Path, "massMessage/1.1.0.json", V1WithOptional);

        var (code, stdout, stderr) = await RunAsync("schema", "check", "--dir", current.Path, "--against", deployed.Path, "--mode", "BACKWARD");

        Assert.True(ExitCodes.Failure == code, stderr);
        var lines = Lines(stdout);
        Assert.StartsWith("massMessage 1.0.0→1.0.0 BACKWARD: params: version-modified: 1.0.0 differs from the deployed 1.0.0 (first at schema location '/properties/page/maxLength')", lines[0], StringComparison.Ordinal);
        // 1.1.0 is checked against what is deployed (maxLength 255), not against the edited 1.0.0: it passes.
        Assert.Equal(2, lines.Length);
        Assert.Equal($"schema check: 1 violation in massMessage — 1 job type, 2 versions in {current.Path}, against {deployed.Path}.", lines[1]);
    }

    [Fact]
    public async Task Check_AgainstGit_ReadsTheSchemaDirectoryAtTheRevision()
    {
        using var repo = new TempDirectory("schema-check-git");
        await GitAsync(repo.Path, "init", "-q");
        var schemas = Path.Combine(repo.Path, "jobs", "schemas");
        Write(schemas, "massMessage/1.0.0.json", File.ReadAllText(Path.Combine(IncidentFixture, "massMessage", "1.0.0.json")));
        await GitAsync(repo.Path, "add", "-A");
        await GitAsync(repo.Path, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "massMessage 1.0.0");

        // Unchanged: compatible.
        var (code, stdout, stderr) = await RunAsync("schema", "check", "--dir", schemas, "--against-git", "HEAD");
        Assert.True(ExitCodes.Ok == code, stdout + stderr);
        Assert.EndsWith("against git HEAD:jobs/schemas.", Lines(stdout).Single(), StringComparison.Ordinal);

        // The 2019 change on top of what is committed (deployed).
        Write(schemas, "massMessage/2.0.0.json", File.ReadAllText(Path.Combine(IncidentFixture, "massMessage", "2.0.0.json")));
        (code, stdout, stderr) = await RunAsync("schema", "check", "--dir", schemas, "--against-git", "HEAD", "--json");
        Assert.True(ExitCodes.Failure == code, stdout + stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal("git HEAD:jobs/schemas", json.RootElement.GetProperty("against").GetString());
            Assert.Equal(["1.0.0"], json.RootElement.GetProperty("types")[0].GetProperty("deployed_versions").EnumerateArray().Select(v => v.GetString()));
            Assert.All(json.RootElement.GetProperty("violations").EnumerateArray(),
                v => Assert.Equal("params.title property-added-required", v.GetProperty("path").GetString() + " " + v.GetProperty("rule").GetString()));
        }

        (code, _, stderr) = await RunAsync("schema", "check", "--dir", schemas, "--against-git", "no-such-rev");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'no-such-rev' is not a commit", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AgainstGit_OutsideARepository_IsAUsageError()
    {
        using var dir = new TempDirectory("schema-check");
        Write(dir.Path, "t/1.0.0.json", V1);

        var (code, _, stderr) = await RunAsync("schema", "check", "--dir", dir.Path, "--against-git", "HEAD");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--against-git: {dir.Path} is not inside a git repository", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("t/1.0.0.json", "{ \"type\": ", "t/1.0.0.json: not valid JSON")]
    [InlineData("t/1.0.0.json", "[1, 2]", "t/1.0.0.json: a params schema is a JSON object, not array")]
    [InlineData("t/1.0.json", "{}", "t/1.0.json: the file name is not a schema version")]
    [InlineData("t/latest.json", "{}", "t/latest.json: the file name is not a schema version")]
    [InlineData("compatibility.json", "{ \"default\": \"SOMETIMES\" }", "compatibility.json: default: \"SOMETIMES\" is not a compatibility mode")]
    public async Task Check_BadInput_ExitsTwo_NamingTheFile(string file, string content, string expected)
    {
        using var dir = new TempDirectory("schema-check");
        Write(dir.Path, "t/0.9.0.json", V1);
        Write(dir.Path, file, content);

        var (code, stdout, stderr) = await RunAsync("schema", "check", "--dir", dir.Path);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.Contains(Path.Combine(dir.Path, expected), stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_IgnoresFilesTheRegistryIgnores()
    {
        using var dir = new TempDirectory("schema-check");
        Write(dir.Path, "t/1.0.0.json", V1);
        Write(dir.Path, "t/README.md", "notes");
        Write(dir.Path, "README.md", "notes");
        Write(dir.Path, ".drafts/1.0.0.json", "not json at all");

        var (code, stdout, stderr) = await RunAsync("schema", "check", "--dir", dir.Path);

        Assert.True(ExitCodes.Ok == code, stdout + stderr);
        Assert.Contains("compatible — 1 job type, 1 version in", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_UsageErrors_ExitTwo()
    {
        using var dir = new TempDirectory("schema-check");

        var (code, _, stderr) = await RunAsync("schema", "check", "--dir", Path.Combine(dir.Path, "missing"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await RunAsync("schema", "check", "--dir", dir.Path, "--mode", "SIDEWAYS");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'SIDEWAYS' is not a compatibility mode", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await RunAsync("schema", "check", "--dir", dir.Path, "--against", dir.Path, "--against-git", "HEAD");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("cannot be used together", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var cli = CliProcess.Start(args);
        var code = await cli.WaitForExitAsync(ExitWithin);
        return (code, cli.Stdout, cli.Stderr);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private static void Write(string root, string relativePath, string content)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static async Task GitAsync(string directory, params string[] args)
    {
        using var git = ChildProcess.StartProgram("git", args, directory);
        Assert.True(await git.WaitForExitAsync(Eventually.DefaultBound) == 0, $"git {string.Join(' ', args)}: {git.Stderr}");
    }
}
