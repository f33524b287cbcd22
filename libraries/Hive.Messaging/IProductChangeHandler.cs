using Hive.Contracts;

namespace Hive.Messaging;

/// <summary>What a service does when a product changes: drop what its own namespace holds about it.</summary>
public interface IProductChangeHandler
{
    /// <summary>Must be idempotent: the same event may arrive more than once.</summary>
    Task HandleAsync(ProductChanged change, CancellationToken cancellationToken);
}
