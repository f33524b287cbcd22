using Microsoft.AspNetCore.Diagnostics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// In Development the developer exception page catches exceptions before any <c>IExceptionHandler</c>
/// sees them; this filter gives database failures the same 503 there as in production.
/// </summary>
internal sealed class DatabaseDeveloperPageFilter(DatabaseExceptionHandler handler) : IDeveloperPageExceptionFilter
{
    public async Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
    {
        if (!await handler.TryHandleAsync(errorContext.HttpContext, errorContext.Exception, errorContext.HttpContext.RequestAborted))
        {
            await next(errorContext);
        }
    }
}
