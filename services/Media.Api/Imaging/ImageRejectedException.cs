namespace Media.Api.Imaging;

/// <summary>The uploaded bytes are not a picture media accepts; becomes a 4xx ProblemDetails naming the field.</summary>
public sealed class ImageRejectedException(string field, string detail, int status = StatusCodes.Status400BadRequest) : Exception(detail)
{
    public string Field { get; } = field;

    public int Status { get; } = status;
}
