using Hive.Contracts;

namespace Hive.Messaging;

/// <summary>
/// The durable queues that consume <see cref="Hive.Contracts.ProductChanged"/>, one per service. The
/// publisher declares all of them before its first publish so an event can never reach an exchange with
/// nobody bound to it (a service that has not started yet still gets its copy).
/// </summary>
public static class ProductChangedQueues
{
    public static readonly IReadOnlyList<string> Services = HiveServices.ProductChangeConsumers;

    public static string For(string service) => $"{service}-product-changed";
}
