namespace Courier.Server.Configuration;

/// <summary>The job log engine named by <c>engine.kind</c> in the configuration file.</summary>
public enum EngineKind
{
    /// <summary><c>sqlite</c>: the embedded log in <c>&lt;data&gt;/log.db</c> (the default).</summary>
    Sqlite,

    /// <summary><c>kafka</c>: Apache Kafka at <c>engine.bootstrap_servers</c>.</summary>
    Kafka,
}
