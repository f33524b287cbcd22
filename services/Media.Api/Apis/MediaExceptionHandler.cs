using Hive.ServiceDefaults;
using Media.Api.Data;
using Media.Api.Delivery;
using Media.Api.Imaging;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Media.Api.Apis;

/// <summary>
/// Media's own failures as ProblemDetails: a bad picture is a 400 validation problem naming the field (415 when it is
/// no picture format at all), a full render queue a 503.
/// </summary>
public sealed class MediaExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var problem = exception switch
        {
            ImageRejectedException { Status: StatusCodes.Status400BadRequest } rejected => new ValidationErrors().Add(rejected.Field, rejected.Message).ToProblemDetails(),
            ImageRejectedException rejected => new ProblemDetails { Status = rejected.Status, Title = "Not an accepted picture", Detail = rejected.Message, Extensions = { ["field"] = rejected.Field } },
            OriginalMissingException missing => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Original missing", Detail = missing.Message },
            RenderQueueFullException full => new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "Busy", Detail = full.Message },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }
}
