using System.CommandLine;
using System.Text.Json.Nodes;
using Courier.Cli.Contracts;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier schema check</c>: the compatibility of params schema versions (docs/contracts.md "Checking
/// compatibility"). Without <c>--against</c> it checks each type's version history in the directory; with it, the
/// current versions against deployed ones. Exit 0 compatible, 1 incompatible, 2 bad input.
/// </summary>
internal sealed class SchemaCheckCommand : Command
{
    /// <summary>The schema directory when <c>--dir</c> is not given, relative to the working directory.</summary>
    public const string DefaultDirectory = "jobs/schemas";

    private readonly Option<string> _dir = new("--dir")
    {
        Description = "The schema directory: <dir>/<type>/<major.minor.patch>.json, modes in <dir>/compatibility.json.",
        HelpName = "DIR",
        DefaultValueFactory = _ => DefaultDirectory,
    };
    private readonly Option<string?> _against = new("--against")
    {
        Description = "The deployed schemas, as another directory: check the current versions against them.",
        HelpName = "DIR",
    };
    private readonly Option<string?> _againstGit = new("--against-git")
    {
        Description = "The deployed schemas, as the schema directory at a git revision (e.g. origin/main, a release tag).",
        HelpName = "REV",
    };
    private readonly Option<string?> _mode = new("--mode")
    {
        Description = "Check every type under this mode instead of compatibility.json's: " + string.Join(", ", CompatibilityModes.Names) + ".",
        HelpName = "MODE",
    };
    private readonly Option<string?> _type = new("--type") { Description = "Only this job type.", HelpName = "TYPE" };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object." };

    public SchemaCheckCommand(CliContext context)
        : base("check", "Check params schema versions for compatibility: each version against earlier ones, or the current " +
            "versions against deployed ones (--against, --against-git). Prints one line per violation; exit 1 when there is any.")
    {
        Options.Add(_dir);
        Options.Add(_against);
        Options.Add(_againstGit);
        Options.Add(_mode);
        Options.Add(_type);
        Options.Add(_json);
        _mode.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !CompatibilityModes.TryParse(result.Tokens[0].Value, out _))
            {
                result.AddError($"--mode: '{result.Tokens[0].Value}' is not a compatibility mode (one of {string.Join(", ", CompatibilityModes.Names)}).");
            }
        });
        Validators.Add(result =>
        {
            if (result.GetResult(_against) is not null && result.GetResult(_againstGit) is not null)
            {
                result.AddError("--against and --against-git cannot be used together: give the deployed schemas one way.");
            }
        });
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var dir = parseResult.GetValue(_dir)!;
        var current = SchemaTree.FromDirectory(dir, "--dir");
        SchemaTree? deployed = null;
        if (parseResult.GetValue(_against) is { } againstDir)
        {
            deployed = SchemaTree.FromDirectory(againstDir, "--against");
        }
        else if (parseResult.GetValue(_againstGit) is { } revision)
        {
            deployed = await SchemaTree.FromGitAsync(dir, revision, context.Shutdown);
        }
        CompatibilityMode? modeOverride = CompatibilityModes.TryParse(parseResult.GetValue(_mode), out var m) ? m : null;

        var types = current.JobTypes.Union(deployed?.JobTypes ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (parseResult.GetValue(_type) is { } only)
        {
            if (!types.Contains(only, StringComparer.Ordinal))
            {
                throw new UsageException($"--type: no schemas for job type '{only}' in {current.Description}{(deployed is null ? "" : $" or {deployed.Description}")}");
            }
            types = [only];
        }
        else
        {
            foreach (var named in current.Config.Types.Keys.Where(t => !types.Contains(t, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
            {
                await context.Console.Error.WriteLineAsync($"warning: {SchemaCompatibilityConfig.FileName} names job type '{named}', which has no schemas in {current.Description}");
            }
        }

        var results = new List<SchemaTypeResult>();
        foreach (var type in types)
        {
            var mode = modeOverride ?? current.Config.ModeFor(type);
            var versions = current.Versions(type);
            var violations = deployed is null
                ? SchemaCompatibilityChecker.CheckHistory(type, versions, mode)
                : SchemaCompatibilityChecker.CheckAgainst(type, deployed.Versions(type), versions, mode);
            results.Add(new SchemaTypeResult(type, mode, versions.Keys.ToList(), deployed?.Versions(type).Keys.ToList(), violations));
        }

        var all = results.SelectMany(r => r.Violations).ToList();
        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, ToJson(current, deployed, results, all));
        }
        else
        {
            Print(context.Console.Out, current, deployed, results, all);
        }
        return all.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static void Print(TextWriter output, SchemaTree current, SchemaTree? deployed, List<SchemaTypeResult> results, List<SchemaCompatibilityViolation> all)
    {
        foreach (var violation in all)
        {
            output.WriteLine(violation.ToString());
        }
        var versions = results.Sum(r => r.Versions.Count);
        var scope = $"{Count(results.Count, "job type")}, {Count(versions, "version")} in {current.Description}"
            + (deployed is null ? "" : $", against {deployed.Description}{(deployed.VersionCount == 0 ? " (no schemas there)" : "")}");
        if (all.Count == 0)
        {
            output.WriteLine($"schema check: compatible — {scope}.");
        }
        else
        {
            var broken = results.Where(r => r.Violations.Count > 0).Select(r => r.Type).ToList();
            output.WriteLine($"schema check: {Count(all.Count, "violation")} in {string.Join(", ", broken)} — {scope}.");
        }
        output.Flush();
    }

    private static JsonObject ToJson(SchemaTree current, SchemaTree? deployed, List<SchemaTypeResult> results, List<SchemaCompatibilityViolation> all) => new()
    {
        ["dir"] = current.Description,
        ["against"] = deployed?.Description,
        ["compatible"] = all.Count == 0,
        ["types"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
        {
            ["type"] = r.Type,
            ["mode"] = r.Mode.ToWireName(),
            ["versions"] = new JsonArray(r.Versions.Select(v => (JsonNode)v.ToString()).ToArray()),
            ["deployed_versions"] = r.Deployed is null ? null : new JsonArray(r.Deployed.Select(v => (JsonNode)v.ToString()).ToArray()),
            ["violations"] = r.Violations.Count,
        }).ToArray()),
        ["violations"] = new JsonArray(all.Select(v => (JsonNode)new JsonObject
        {
            ["type"] = v.JobType,
            ["old_version"] = v.OldVersion.ToString(),
            ["new_version"] = v.NewVersion.ToString(),
            ["mode"] = v.Mode.ToWireName(),
            ["direction"] = v.Direction switch
            {
                CompatibilityDirection.Backward => "backward",
                CompatibilityDirection.Forward => "forward",
                _ => null,
            },
            ["path"] = v.Path,
            ["rule"] = v.Rule,
            ["message"] = v.Message,
        }).ToArray()),
    };

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
