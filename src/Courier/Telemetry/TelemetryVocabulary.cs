namespace Courier.Telemetry;

/// <summary>Teaches a <see cref="CourierTelemetry"/> the job types this process knows (<see cref="CourierTelemetry.JobTypes"/>).</summary>
internal static class TelemetryVocabulary
{
    /// <summary>Types with a params schema; the registry is read at each look-up, so one set later counts too.</summary>
    public static void LearnSchemas(this CourierTelemetry telemetry, CourierOptions options) =>
        telemetry.JobTypes.Know(type => options.ParamsSchemas?.HasSchemas(type) == true);

    /// <summary>
    /// Types with a rule or listed in <see cref="DispatcherOptions.JobTypes"/>; types only a topic pattern rule matches
    /// are admitted up to the bound: their topics appear whenever someone produces to them, the intake included.
    /// </summary>
    public static void LearnRules(this CourierTelemetry telemetry, DispatcherOptions options, TopicNames topics)
    {
        telemetry.JobTypes.Know(options.AllJobTypes());
        var patterns = options.PatternRules.ToArray();
        if (patterns.Length > 0)
        {
            telemetry.JobTypes.Admit(type => patterns.Any(p => p.Matches(topics.JobTopic(type))));
        }
    }
}
