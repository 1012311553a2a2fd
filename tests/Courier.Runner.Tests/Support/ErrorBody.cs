using System.Net;
using System.Text.Json;
using Xunit;

namespace Courier.Runner.Tests.Support;

/// <summary>The JSON body of a non-200 answer, read strictly: exactly <c>status</c>, <c>error_class</c>, <c>message</c>.</summary>
public sealed record ErrorBody(int Status, string ErrorClass, string Message)
{
    public static async Task<ErrorBody> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.Equal(["status", "error_class", "message"], root.EnumerateObject().Select(p => p.Name));
        var body = new ErrorBody(root.GetProperty("status").GetInt32(), root.GetProperty("error_class").GetString()!, root.GetProperty("message").GetString()!);
        Assert.Equal((int)response.StatusCode, body.Status);
        return body;
    }

    public static async Task<ErrorBody> ExpectAsync(HttpResponseMessage response, HttpStatusCode status, string errorClass)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await ReadAsync(response);
        Assert.Equal(errorClass, body.ErrorClass);
        Assert.True(response.Headers.Contains(RunnerProtocol.ExecutionLimitHeader), "every answer carries " + RunnerProtocol.ExecutionLimitHeader);
        return body;
    }
}
