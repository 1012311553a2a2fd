namespace Courier;

/// <summary>One way params break their schema: where, which rule, and what is wrong.</summary>
/// <param name="Path">The field, as a path from <c>params</c>: <c>params.title.namespace</c>, <c>params.pages[2]</c>.</param>
/// <param name="Rule">The JSON Schema keyword that failed: <c>required</c>, <c>type</c>, <c>additionalProperties</c>, <c>enum</c>, …</param>
/// <param name="Message">What is wrong, in words.</param>
public sealed record ParamsViolation(string Path, string Rule, string Message)
{
    /// <summary><c>path: rule: message</c>.</summary>
    public override string ToString() => $"{Path}: {Rule}: {Message}";
}
