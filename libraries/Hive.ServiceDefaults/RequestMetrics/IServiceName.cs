namespace Hive.ServiceDefaults.RequestMetrics;

/// <summary>The name the service is known by in the fleet (<c>OTEL_SERVICE_NAME</c>, as Aspire sets it).</summary>
public interface IServiceName
{
    string Name { get; }
}

internal sealed class ServiceName(string name) : IServiceName
{
    public string Name { get; } = name;
}
