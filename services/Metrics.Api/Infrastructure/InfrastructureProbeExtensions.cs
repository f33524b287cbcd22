namespace Metrics.Api.Infrastructure;

public static class InfrastructureProbeExtensions
{
    public static IHostApplicationBuilder AddInfrastructureProbes(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PostgresProbe>();
        builder.Services.AddSingleton<RabbitMqProbe>();
        return builder;
    }
}
