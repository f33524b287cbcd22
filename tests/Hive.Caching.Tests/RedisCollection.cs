using Hive.Testing;

namespace Hive.Caching.Tests;

/// <summary>Tests that share one redis-server; each uses its own namespace so their keys never meet.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}
