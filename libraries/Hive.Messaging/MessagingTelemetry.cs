using System.Diagnostics;

namespace Hive.Messaging;

/// <summary>The activity source of Hive.Messaging (exported with every <c>Hive.*</c> source by the service defaults).</summary>
public static class MessagingTelemetry
{
    public const string SourceName = "Hive.Messaging";

    public static ActivitySource Source { get; } = new(SourceName);
}
