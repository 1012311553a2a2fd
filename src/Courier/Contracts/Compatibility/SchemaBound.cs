namespace Courier.Contracts.Compatibility;

/// <summary>A lower or upper numeric bound: its value and whether the value itself is excluded.</summary>
internal readonly record struct SchemaBound(decimal Value, bool Exclusive);
