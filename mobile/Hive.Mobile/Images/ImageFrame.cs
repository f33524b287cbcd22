namespace Hive.Mobile.Images;

/// <summary>What a progressive image load yields, in order: the placeholder, a small rendition, the target one.</summary>
public abstract record ImageFrame
{
    private ImageFrame()
    {
    }

    /// <summary>The decoded placeholder string: draw it scaled up (it is already blurred).</summary>
    public sealed record Blurred(PlaceholderBitmap Bitmap) : ImageFrame;

    /// <summary>Encoded image bytes (JPEG, WebP or AVIF as <see cref="ContentType"/> says) of a rendition <see cref="Width"/> wide (0 when the URL does not say, as for a card's thumbnail).</summary>
    public sealed record Encoded(byte[] Bytes, string ContentType, int Width, bool IsFinal, bool FromCache) : ImageFrame;
}
