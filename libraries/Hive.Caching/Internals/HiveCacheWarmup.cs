using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hive.Caching;

/// <summary>Creates the <see cref="IHiveCache"/> (and its backplane subscription) during host start-up.</summary>
internal sealed class HiveCacheWarmup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
        => Task.Run(() => services.GetRequiredService<IHiveCache>(), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
