namespace Courier;

/// <summary>
/// The stable ids of the compatibility rules (docs/contracts.md "Checking compatibility" explains each). A rule is
/// named after the change from the older version to the newer one; the violation's direction says which readers
/// it breaks.
/// </summary>
public static class SchemaCompatibilityRules
{
    /// <summary>A property the older version does not define is required in the newer one.</summary>
    public const string PropertyAddedRequired = "property-added-required";

    /// <summary>An optional property is added: breaks backward on an open model, forward on a closed one.</summary>
    public const string PropertyAdded = "property-added";

    /// <summary>A property is removed: breaks backward on a closed model, forward on an open one or when it was required.</summary>
    public const string PropertyRemoved = "property-removed";

    /// <summary>A property defined in both versions becomes required.</summary>
    public const string RequiredAdded = "required-added";

    /// <summary>A property defined in both versions is no longer required.</summary>
    public const string RequiredRemoved = "required-removed";

    /// <summary>The newer version allows fewer JSON types (e.g. <c>[string, null]</c> → <c>string</c>).</summary>
    public const string TypeNarrowed = "type-narrowed";

    /// <summary>The newer version allows more JSON types (e.g. <c>integer</c> → <c>number</c>).</summary>
    public const string TypeWidened = "type-widened";

    /// <summary>The JSON types change both ways (e.g. <c>string</c> → <c>integer</c>).</summary>
    public const string TypeChanged = "type-changed";

    /// <summary>The newer version allows fewer values: enum values dropped, or an enum added.</summary>
    public const string EnumNarrowed = "enum-narrowed";

    /// <summary>The newer version allows more values: enum values added, or the enum removed.</summary>
    public const string EnumWidened = "enum-widened";

    /// <summary>A <c>const</c> is added, removed or changed.</summary>
    public const string ConstChanged = "const-changed";

    /// <summary>The newer version adds a <c>format</c>.</summary>
    public const string FormatAdded = "format-added";

    /// <summary>The newer version removes a <c>format</c>.</summary>
    public const string FormatRemoved = "format-removed";

    /// <summary>The <c>format</c> changes.</summary>
    public const string FormatChanged = "format-changed";

    /// <summary>The newer version adds a <c>pattern</c>.</summary>
    public const string PatternAdded = "pattern-added";

    /// <summary>The newer version removes a <c>pattern</c>.</summary>
    public const string PatternRemoved = "pattern-removed";

    /// <summary>The <c>pattern</c> changes (whether one regular expression contains the other is not decided).</summary>
    public const string PatternChanged = "pattern-changed";

    /// <summary>
    /// A bound gets stricter: <c>minimum</c>, <c>maximum</c>, their exclusive forms, <c>multipleOf</c>,
    /// <c>minLength</c>, <c>maxLength</c>, <c>minItems</c>, <c>maxItems</c>, <c>minProperties</c>,
    /// <c>maxProperties</c>, <c>uniqueItems</c>.
    /// </summary>
    public const string BoundsTightened = "bounds-tightened";

    /// <summary>A bound gets looser (the same keywords as <see cref="BoundsTightened"/>).</summary>
    public const string BoundsLoosened = "bounds-loosened";

    /// <summary>The content model is closed: <c>additionalProperties</c> becomes <c>false</c>.</summary>
    public const string AdditionalPropertiesClosed = "additional-properties-closed";

    /// <summary>The content model is opened: <c>additionalProperties: false</c> is dropped.</summary>
    public const string AdditionalPropertiesOpened = "additional-properties-opened";

    /// <summary>A keyword the checker cannot judge changed; it is reported rather than passed.</summary>
    public const string UnsupportedChange = "unsupported-change";

    /// <summary>A version present in the deployed schemas has different content now: published versions are immutable.</summary>
    public const string VersionModified = "version-modified";

    /// <summary>A version present in the deployed schemas is gone now.</summary>
    public const string VersionRemoved = "version-removed";

    /// <summary>Every rule id.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        PropertyAddedRequired, PropertyAdded, PropertyRemoved, RequiredAdded, RequiredRemoved,
        TypeNarrowed, TypeWidened, TypeChanged, EnumNarrowed, EnumWidened, ConstChanged,
        FormatAdded, FormatRemoved, FormatChanged, PatternAdded, PatternRemoved, PatternChanged,
        BoundsTightened, BoundsLoosened, AdditionalPropertiesClosed, AdditionalPropertiesOpened,
        UnsupportedChange, VersionModified, VersionRemoved,
    ];
}
