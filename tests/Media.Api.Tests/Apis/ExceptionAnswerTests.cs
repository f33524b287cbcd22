using System.Text.Json;
using Media.Api.Apis;
using Media.Api.Delivery;
using Media.Api.Imaging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Media.Api.Tests.Apis;

/// <summary>
/// What each of media's own failures answers, through its exception handler and the fleet's ProblemDetails
/// writer: a refused picture is a 400 naming the field (or its own 4xx with the field), a lost original a
/// 404, a full render queue a 503 with Retry-After; anything else is left to the fleet's 500 handler.
/// </summary>
public sealed class ExceptionAnswerTests
{
    [Fact]
    public async Task ARefusedPictureIsA400NamingTheFieldOrItsOwnStatusWithTheFieldBeside()
    {
        var (handled, context, body) = await AnswerAsync(new ImageRejectedException("file", "The jpeg file cannot be read."));
        Assert.True(handled);
        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("The jpeg file cannot be read.", body.GetProperty("errors").GetProperty("file")[0].GetString());

        (handled, context, body) = await AnswerAsync(new ImageRejectedException("file", "Not a picture.", StatusCodes.Status415UnsupportedMediaType));
        Assert.True(handled);
        Assert.Equal(415, context.Response.StatusCode);
        Assert.Equal(415, body.GetProperty("status").GetInt32());
        Assert.Equal("file", body.GetProperty("field").GetString());
        Assert.Equal("Not a picture.", body.GetProperty("detail").GetString());
        Assert.Equal("Not an accepted picture", body.GetProperty("title").GetString());
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public async Task ALostOriginalIsA404AndAFullRenderQueueA503ToRetryInFiveSeconds()
    {
        var (handled, context, body) = await AnswerAsync(new OriginalMissingException(12));
        Assert.True(handled);
        Assert.Equal(404, context.Response.StatusCode);
        Assert.Contains("image 12", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Original missing", body.GetProperty("title").GetString());
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));

        (handled, context, body) = await AnswerAsync(new RenderQueueFullException(TimeSpan.FromSeconds(20)));
        Assert.True(handled);
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal(503, body.GetProperty("status").GetInt32());
        Assert.Equal("Busy", body.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AnyOtherFailureIsLeftAlone()
    {
        var (handled, context, _) = await AnswerAsync(new InvalidOperationException("a bug"));
        Assert.False(handled);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(0, context.Response.Body.Length);
    }

    private static async Task<(bool Handled, HttpContext Context, JsonElement Body)> AnswerAsync(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var handler = new MediaExceptionHandler(services.GetRequiredService<IProblemDetailsService>());

        var handled = await handler.TryHandleAsync(context, exception, CancellationToken.None);

        context.Response.Body.Position = 0;
        var body = context.Response.Body.Length == 0 ? default : JsonDocument.Parse(context.Response.Body).RootElement.Clone();
        return (handled, context, body);
    }
}
