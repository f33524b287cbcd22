using System.Reflection;
using StackExchange.Redis;

namespace Hive.Caching;

/// <summary>
/// Hands FusionCache's Redis backplane the service's shared multiplexer without letting it dispose it:
/// the backplane disposes its connection when the cache is disposed, but the multiplexer belongs to DI.
/// </summary>
internal class NonDisposingConnection : DispatchProxy
{
    private IConnectionMultiplexer? _inner;

    public static IConnectionMultiplexer Wrap(IConnectionMultiplexer inner)
    {
        var proxy = Create<IConnectionMultiplexer, NonDisposingConnection>();
        ((NonDisposingConnection)(object)proxy)._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IDisposable.Dispose) || targetMethod.Name == "Close")
        {
            return null;
        }

        if (targetMethod.Name is nameof(IAsyncDisposable.DisposeAsync))
        {
            return ValueTask.CompletedTask;
        }

        if (targetMethod.Name == "CloseAsync")
        {
            return Task.CompletedTask;
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
