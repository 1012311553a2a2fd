using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Server.Admin.Index;
using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Courier.Server.Admin;

/// <summary>
/// The dead letters of the admin API, through <see cref="IDeadLetterBrowser"/> (the index):
/// <c>GET /v1/dead-letters</c> (a page, newest first: <c>type</c>, <c>class</c>, <c>job_id</c>, <c>q</c> (text in the
/// reason), <c>unreplayed</c>, <c>cursor</c>, <c>limit</c>), <c>GET /v1/dead-letters/{position}</c> (one, with headers,
/// the original event and what became of its replay), and <c>POST /v1/dead-letters/replay</c> (<c>{"type", "class",
/// "positions", "dry_run"}</c>; a dry run unless <c>"dry_run": false</c> is sent). Errors are
/// <c>{"error": "..."}</c> with 400 or 404; the JSON shapes are <see cref="DeadLetterJson"/>'s.
/// </summary>
internal static class DeadLetterEndpoints
{
    /// <summary>The list's route; one dead letter is <c>{Route}/{position}</c>, the replay <c>{Route}/replay</c>.</summary>
    public const string Route = "/v1/dead-letters";

    private static readonly HashSet<string> ReplayFields = new(StringComparer.Ordinal) { "type", "class", "positions", "dry_run" };

    /// <summary>Maps the three endpoints.</summary>
    public static void MapDeadLetters(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The answers are DeadLetterJson's objects, described in words (their shape is docs/operations.md's).
        app.MapGet(Route, (Func<HttpContext, Task<IResult>>)ListAsync).WithDisplayName("Courier dead letters " + Route).RequireRead()
            .WithSummary("List dead letters")
            .WithDescription("A page of dead letters, newest first: {\"dead_letters\":[...], \"matching\", \"next_cursor\", \"not_yet_indexed\"}. "
                + "Filters: type, class, job_id, q (text in the reason), unreplayed; cursor (next_cursor of the previous page), limit. 400 for a bad filter.")
            .Produces<JsonObject>()
            .Produces<OpenApi.ApiError>(StatusCodes.Status400BadRequest);
        app.MapGet(Route + "/{position}", (string position, HttpContext context) => ShowAsync(position, context)).WithDisplayName("Courier dead letter " + Route + "/{position}").RequireRead()
            .WithSummary("One dead letter")
            .WithDescription("The dead letter at position (topic:partition:offset, URL-escaped): its headers, the original event and what "
                + "became of its replay. 400 for a position that is not one of the error topic, 404 when there is none.")
            .Produces<JsonObject>()
            .Produces<OpenApi.ApiError>(StatusCodes.Status400BadRequest)
            .Produces<OpenApi.ApiError>(StatusCodes.Status404NotFound);
        app.MapPost(Route + "/replay", (Func<HttpContext, Task<IResult>>)ReplayAsync).WithDisplayName("Courier replay " + Route + "/replay").RequireOperate()
            .WithSummary("Replay dead letters")
            .WithDescription("Re-enqueues the dead letters {\"type\", \"class\", \"positions\"} select; a dry run (what would be replayed) "
                + "unless {\"dry_run\": false} is sent. 400 for a bad body.")
            .Produces<JsonObject>()
            .Produces<OpenApi.ApiError>(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> ListAsync(HttpContext context)
    {
        var q = context.Request.Query;
        string? Text(string name) => q[name] is { Count: > 0 } v && !string.IsNullOrEmpty(v[0]) ? v[0] : null;
        if (ParseClass(Text("class"), out var failureClass) is { } classError)
        {
            return Error(classError);
        }
        bool? unreplayed = null;
        if (Text("unreplayed") is { } u)
        {
            if (!bool.TryParse(u, out var parsed))
            {
                return Error($"unreplayed must be true or false, got '{u}'");
            }
            unreplayed = parsed;
        }
        var limit = 50;
        if (Text("limit") is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > DeadLetterQuery.MaxLimit))
        {
            return Error($"limit must be a whole number from 1 to {DeadLetterQuery.MaxLimit}, got '{l}'");
        }
        var cursor = Text("cursor");
        if (cursor is not null && !IndexCursor.TryDecode(cursor, out _))
        {
            return Error($"cursor '{cursor}' is not one this server gave (use next_cursor of the previous page)");
        }
        var query = new DeadLetterQuery
        {
            JobType = Text("type"), Class = failureClass, JobId = Text("job_id"), Text = Text("q"), Unreplayed = unreplayed, Cursor = cursor, Limit = limit,
        };
        var page = await Browser(context).QueryAsync(query, context.RequestAborted);
        return Results.Json(new JsonObject
        {
            ["dead_letters"] = new JsonArray([.. page.Items.Select(e => (JsonNode)DeadLetterJson.Summary(e))]),
            ["matching"] = page.Matching,
            ["next_cursor"] = page.NextCursor,
            ["not_yet_indexed"] = page.NotYetIndexed,
        });
    }

    private static async Task<IResult> ShowAsync(string position, HttpContext context)
    {
        var text = Uri.UnescapeDataString(position);
        if (!LogPosition.TryParse(text, out var at))
        {
            return Error($"'{text}' is not a position (topic:partition:offset, as the list gives it)");
        }
        if (OutsideErrorTopic(context, [at]) is { } outside)
        {
            return Error(outside);
        }
        var browser = Browser(context);
        if (await browser.GetAsync(at, context.RequestAborted) is not { } entry)
        {
            return Error($"no dead letter at {text}", StatusCodes.Status404NotFound);
        }
        var json = DeadLetterJson.Full(entry);
        json["replay"] = DeadLetterJson.Status(await browser.ReplayStatusAsync(at, context.RequestAborted));
        return Results.Json(json);
    }

    private static async Task<IResult> ReplayAsync(HttpContext context)
    {
        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject
                ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            return Error($"the body must be a JSON object {{\"type\", \"class\", \"positions\", \"dry_run\"}}: {e.Message}");
        }
        if (body.Select(p => p.Key).FirstOrDefault(k => !ReplayFields.Contains(k)) is { } unknown)
        {
            return Error($"unknown field '{unknown}' (expected type, class, positions, dry_run)");
        }
        if (!TryString(body, "type", out var type) || !TryString(body, "class", out var classText))
        {
            return Error("type and class must be strings");
        }
        if (ParseClass(classText, out var failureClass) is { } classError)
        {
            return Error(classError);
        }
        // A replay writes to job topics: it happens only when asked for explicitly.
        var dryRun = true;
        if (body["dry_run"] is { } d)
        {
            if (d.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Error("dry_run must be true or false");
            }
            dryRun = d.GetValue<bool>();
        }
        var positions = new List<TopicPartitionOffset>();
        if (body["positions"] is { } list)
        {
            if (list is not JsonArray array)
            {
                return Error("positions must be an array of positions (topic:partition:offset)");
            }
            foreach (var item in array)
            {
                if (item?.GetValueKind() != JsonValueKind.String || !LogPosition.TryParse(item.GetValue<string>(), out var p))
                {
                    return Error($"positions: '{item?.ToJsonString()}' is not a position (topic:partition:offset)");
                }
                positions.Add(p);
            }
        }
        if (OutsideErrorTopic(context, positions) is { } outside)
        {
            return Error(outside);
        }
        if (positions.Count > IndexedDeadLetterBrowser.MaxReplay)
        {
            return Error($"at most {IndexedDeadLetterBrowser.MaxReplay} positions in one replay, got {positions.Count}");
        }
        var result = await Browser(context).ReplayAsync(new DeadLetterFilter(type, failureClass), positions, dryRun, context.RequestAborted);
        var json = DeadLetterJson.Replay(result);
        json["max_per_request"] = IndexedDeadLetterBrowser.MaxReplay;
        return Results.Json(json);
    }

    private static string? OutsideErrorTopic(HttpContext context, IEnumerable<TopicPartitionOffset> positions)
    {
        var errorTopic = context.RequestServices.GetRequiredService<IOptions<CourierOptions>>().Value.Topics.ErrorTopic;
        return positions.FirstOrDefault(p => !string.Equals(p.Topic, errorTopic, StringComparison.Ordinal)) is { Topic: not null } other
            ? $"{LogPosition.Format(other)} is not in the error topic {errorTopic}"
            : null;
    }

    private static bool TryString(JsonObject body, string name, out string? value)
    {
        value = null;
        if (body[name] is not { } node)
        {
            return true;
        }
        if (node.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }
        value = node.GetValue<string>();
        return true;
    }

    private static string? ParseClass(string? text, out FailureClass? failureClass)
    {
        failureClass = null;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (FailureClasses.TryParse(text, out var c))
        {
            failureClass = c;
            return null;
        }
        return $"class '{text}' is not one of decode, retryable, permanent, backpressure";
    }

    private static IDeadLetterBrowser Browser(HttpContext context) => context.RequestServices.GetRequiredService<IDeadLetterBrowser>();

    private static IResult Error(string message, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new { error = message }, statusCode: status);
}
