using System.Text.Json;
using System.Text.Json.Nodes;

namespace Courier.Tests.Contracts;

/// <summary>
/// Random params schemas, random changes to them, and random params shaped after a schema, for the compatibility
/// property tests. Everything is drawn from one <see cref="Random"/> so that a failing seed replays exactly. The
/// vocabulary is small on purpose (few names, few values) so that changes and instances collide often.
/// </summary>
internal sealed class SchemaGen(Random random)
{
    private static readonly string[] Names = ["a", "b", "c", "d"];
    private static readonly string[] Strings = ["", "a", "ab", "abc", "b", "ba", "aab", "2024-01-02", "x@y.org", "zzzzzz"];
    private static readonly double[] Numbers = [-2.5, -1, 0, 0.5, 1, 1.5, 2, 3, 4.25];
    private static readonly string[] Patterns = ["^a", "^[ab]*$", "b"];
    private static readonly string[] Formats = ["date", "email"];
    private static readonly string[] Leaves = ["string", "integer", "number", "boolean", "null"];

    /// <summary>A closed object schema (<c>additionalProperties: false</c>) at the top, like every params schema.</summary>
    public JsonObject ClosedObject(int depth = 2)
    {
        var schema = Object(depth);
        schema["additionalProperties"] = false;
        // Sometimes a property's schema lives in $defs behind a $ref, so that mutations reach it there.
        if (schema["properties"] is JsonObject properties && properties.Count > 0 && random.Next(100) < 30)
        {
            var (name, moved) = properties.ElementAt(random.Next(properties.Count));
            properties[name] = new JsonObject { ["$ref"] = "#/$defs/" + name, ["description"] = "defined once" };
            schema["$defs"] = new JsonObject { [name] = moved?.DeepClone() };
        }
        return schema;
    }

    /// <summary>Any schema: a leaf, an object, an array, occasionally <c>true</c>/<c>false</c>/<c>{}</c>.</summary>
    public JsonNode Schema(int depth)
    {
        var roll = random.Next(100);
        if (roll < 3)
        {
            return JsonValue.Create(random.Next(2) == 0);
        }
        if (roll < 6)
        {
            return new JsonObject { ["description"] = "anything" };
        }
        if (depth > 0 && roll < 30)
        {
            return Object(depth);
        }
        if (depth > 0 && roll < 42)
        {
            return Array(depth);
        }
        return Leaf();
    }

    /// <summary>The schema changed in 1 to 3 random places (a copy; the original is left alone).</summary>
    public JsonObject Mutate(JsonObject schema)
    {
        var copy = (JsonObject)schema.DeepClone();
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            var nodes = new List<JsonObject>();
            Collect(copy, nodes);
            MutateOne(nodes[random.Next(nodes.Count)]);
        }
        return copy;
    }

    /// <summary>A value meant to fit the schema most of the time (and sometimes not), for an oracle to judge.</summary>
    public JsonNode? Instance(JsonNode? schema, JsonObject root, int depth = 3)
    {
        if (schema is JsonObject { } reference && reference["$ref"] is JsonValue target
            && root["$defs"]?[target.GetValue<string>()["#/$defs/".Length..]] is { } defined)
        {
            schema = defined;
        }
        if (schema is not JsonObject s || random.Next(100) < 8 || depth == 0)
        {
            return AnyValue(depth);
        }
        if (s["const"] is { } constant && random.Next(100) < 80)
        {
            return constant.DeepClone();
        }
        if (s["enum"] is JsonArray values && values.Count > 0 && random.Next(100) < 80)
        {
            return values[random.Next(values.Count)]?.DeepClone();
        }
        var types = s["type"] switch
        {
            JsonValue v => [v.GetValue<string>()],
            JsonArray a => a.Select(t => t!.GetValue<string>()).ToArray(),
            _ => ["string", "integer", "number", "boolean", "null", "object", "array"],
        };
        if (types.Length == 0)
        {
            return AnyValue(depth);
        }
        switch (types[random.Next(types.Length)])
        {
            case "object":
                var instance = new JsonObject();
                var required = s["required"] is JsonArray r ? r.Select(n => n!.GetValue<string>()).ToHashSet() : [];
                if (s["properties"] is JsonObject properties)
                {
                    foreach (var (name, propertySchema) in properties)
                    {
                        if (required.Contains(name) || random.Next(100) < 60)
                        {
                            instance[name] = Instance(propertySchema, root, depth - 1);
                        }
                    }
                }
                foreach (var name in Names.Append("e"))
                {
                    if (!instance.ContainsKey(name) && random.Next(100) < 15)
                    {
                        instance[name] = s["additionalProperties"] is JsonObject other ? Instance(other, root, depth - 1) : AnyValue(depth - 1);
                    }
                }
                return instance;
            case "array":
                var items = new JsonArray();
                var length = random.Next(4);
                for (var i = 0; i < length; i++)
                {
                    items.Add(Instance(s["items"], root, depth - 1));
                }
                return items;
            case "string":
                return Strings[random.Next(Strings.Length)];
            case "integer":
                return random.Next(-4, 5);
            case "number":
                return Numbers[random.Next(Numbers.Length)];
            case "boolean":
                return random.Next(2) == 0;
            default:
                return null;
        }
    }

    private JsonObject Object(int depth)
    {
        var properties = new JsonObject();
        foreach (var name in Names)
        {
            if (random.Next(100) < 55)
            {
                properties[name] = Schema(depth - 1);
            }
        }
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        var required = new JsonArray(properties.Select(p => p.Key).Where(_ => random.Next(100) < 40).Select(n => (JsonNode)n).ToArray());
        if (required.Count > 0)
        {
            schema["required"] = required;
        }
        switch (random.Next(5))
        {
            case 0:
                schema["additionalProperties"] = false;
                break;
            case 1:
                schema["additionalProperties"] = true;
                break;
            case 2:
                schema["additionalProperties"] = Leaf();
                break;
        }
        if (random.Next(100) < 10)
        {
            schema["maxProperties"] = random.Next(1, 4);
        }
        return schema;
    }

    private JsonObject Array(int depth)
    {
        var schema = new JsonObject { ["type"] = "array" };
        if (random.Next(100) < 80)
        {
            schema["items"] = Schema(depth - 1);
        }
        if (random.Next(100) < 20)
        {
            schema["maxItems"] = random.Next(1, 4);
        }
        if (random.Next(100) < 15)
        {
            schema["minItems"] = random.Next(0, 2);
        }
        if (random.Next(100) < 10)
        {
            schema["uniqueItems"] = true;
        }
        return schema;
    }

    private JsonObject Leaf()
    {
        var schema = new JsonObject();
        var roll = random.Next(100);
        if (roll < 60)
        {
            schema["type"] = Leaves[random.Next(Leaves.Length)];
        }
        else if (roll < 85)
        {
            schema["type"] = new JsonArray(Leaves.Where(_ => random.Next(100) < 40).Select(t => (JsonNode)t).ToArray());
        }
        for (var i = random.Next(3); i > 0; i--)
        {
            AddConstraint(schema);
        }
        return schema;
    }

    private void AddConstraint(JsonObject schema)
    {
        switch (random.Next(15))
        {
            case 0: schema["minLength"] = random.Next(0, 4); break;
            case 1: schema["maxLength"] = random.Next(0, 6); break;
            case 2: schema["pattern"] = Patterns[random.Next(Patterns.Length)]; break;
            case 3: schema["format"] = Formats[random.Next(Formats.Length)]; break;
            case 4: schema["minimum"] = random.Next(-3, 3); break;
            case 5: schema["maximum"] = random.Next(-1, 4); break;
            case 6: schema["exclusiveMinimum"] = Numbers[random.Next(Numbers.Length)]; break;
            case 7: schema["exclusiveMaximum"] = Numbers[random.Next(Numbers.Length)]; break;
            case 8: schema["multipleOf"] = random.Next(3) switch { 0 => 0.5, 1 => 1, _ => 2 }; break;
            case 9:
            case 10:
                schema["enum"] = new JsonArray(Enumerable.Range(0, 1 + random.Next(3)).Select(_ => AnyLeafValue()).ToArray());
                break;
            case 11: schema["const"] = AnyLeafValue(); break;
            case 12: schema["not"] = new JsonObject { ["const"] = AnyLeafValue() }; break;
            default: schema["description"] = "d" + random.Next(3); break;
        }
    }

    private void MutateOne(JsonObject node)
    {
        switch (random.Next(12))
        {
            case 0 when node["properties"] is JsonObject properties:
                // add a property, required or not
                var name = Names[random.Next(Names.Length)];
                properties[name] = Schema(1);
                if (random.Next(2) == 0)
                {
                    Required(node).Add(name);
                }
                break;
            case 1 when node["properties"] is JsonObject properties && properties.Count > 0:
                properties.Remove(properties.ElementAt(random.Next(properties.Count)).Key);
                break;
            case 2 when node["properties"] is JsonObject properties && properties.Count > 0:
                // toggle required
                var toggled = properties.ElementAt(random.Next(properties.Count)).Key;
                var required = Required(node);
                var at = required.Select(n => n!.GetValue<string>()).ToList().IndexOf(toggled);
                if (at >= 0)
                {
                    required.RemoveAt(at);
                }
                else
                {
                    required.Add(toggled);
                }
                break;
            case 3 when node["properties"] is not null:
                // open, close, or constrain the content model
                switch (random.Next(4))
                {
                    case 0: node["additionalProperties"] = false; break;
                    case 1: node["additionalProperties"] = true; break;
                    case 2: node.Remove("additionalProperties"); break;
                    default: node["additionalProperties"] = Leaf(); break;
                }
                break;
            case 4 when node["type"] is not null && node["properties"] is null && node["items"] is null:
                node["type"] = random.Next(2) == 0
                    ? Leaves[random.Next(Leaves.Length)]
                    : new JsonArray(Leaves.Where(_ => random.Next(100) < 50).Select(t => (JsonNode)t).ToArray());
                break;
            case 5 when node["properties"] is null && node["items"] is null:
                AddConstraint(node);
                break;
            case 6:
                var keywords = node.Select(p => p.Key).Where(k => k is not ("type" or "properties" or "items" or "additionalProperties" or "$defs")).ToList();
                if (keywords.Count > 0)
                {
                    node.Remove(keywords[random.Next(keywords.Count)]);
                }
                break;
            case 7 when node["enum"] is JsonArray values:
                if (values.Count > 1 && random.Next(2) == 0)
                {
                    values.RemoveAt(random.Next(values.Count));
                }
                else
                {
                    values.Add(AnyLeafValue());
                }
                break;
            case 8 when node["properties"] is JsonObject properties && properties.Count > 0:
                // replace a property's schema outright
                properties[properties.ElementAt(random.Next(properties.Count)).Key] = Schema(1);
                break;
            case 9 when node["type"] is JsonValue type && type.GetValue<string>() == "array":
                node["items"] = Schema(1);
                break;
            default:
                if (node["properties"] is null && node["items"] is null)
                {
                    AddConstraint(node);
                }
                break;
        }
    }

    private static JsonArray Required(JsonObject node)
    {
        if (node["required"] is not JsonArray required)
        {
            required = [];
            node["required"] = required;
        }
        return required;
    }

    private static void Collect(JsonNode? node, List<JsonObject> into)
    {
        if (node is not JsonObject schema)
        {
            return;
        }
        into.Add(schema);
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, child) in properties)
            {
                Collect(child, into);
            }
        }
        Collect(schema["items"], into);
        Collect(schema["additionalProperties"], into);
        if (schema["$defs"] is JsonObject definitions)
        {
            foreach (var (_, child) in definitions)
            {
                Collect(child, into);
            }
        }
    }

    private JsonNode? AnyLeafValue() => random.Next(5) switch
    {
        0 => Strings[random.Next(Strings.Length)],
        1 => random.Next(-4, 5),
        2 => Numbers[random.Next(Numbers.Length)],
        3 => random.Next(2) == 0,
        _ => null,
    };

    private JsonNode? AnyValue(int depth) => random.Next(depth > 0 ? 7 : 5) switch
    {
        5 => new JsonObject { [Names[random.Next(Names.Length)]] = AnyLeafValue() },
        6 => new JsonArray(AnyLeafValue(), AnyLeafValue()),
        _ => AnyLeafValue(),
    };

    public static JsonElement ToElement(JsonNode? node) => JsonSerializer.SerializeToElement(node);
}
