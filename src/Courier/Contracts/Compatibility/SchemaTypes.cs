namespace Courier.Contracts.Compatibility;

/// <summary>
/// A set of JSON Schema instance types. Numbers are split into integers and the rest, so that
/// <c>integer</c> ⊂ <c>number</c> is plain set inclusion.
/// </summary>
[Flags]
internal enum SchemaTypes
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    String = 16,
    Integer = 32,
    NonInteger = 64,
    Number = Integer | NonInteger,
    All = Null | Boolean | Object | Array | String | Number,
}
