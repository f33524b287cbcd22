using Media.Api.Imaging;
using Microsoft.Net.Http.Headers;

namespace Media.Api.Delivery;

/// <summary><c>format=auto</c>: the best format the client's <c>Accept</c> allows (AVIF, then WebP, then JPEG).</summary>
public static class FormatNegotiation
{
    public static ImageFormat Choose(IList<string>? accept)
    {
        if (accept is null || !MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return ImageFormat.Jpeg;
        }

        bool Accepts(string type) => types.Any(t =>
            t.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase) && (t.Quality ?? 1) > 0);

        return Accepts("image/avif") ? ImageFormat.Avif
            : Accepts("image/webp") ? ImageFormat.Webp
            : ImageFormat.Jpeg;
    }
}
