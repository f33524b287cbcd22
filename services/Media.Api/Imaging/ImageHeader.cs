namespace Media.Api.Imaging;

/// <summary>What an original's header says: its type and its upright size (EXIF orientation applied).</summary>
public sealed record ImageHeader(ImageFormat Format, int Width, int Height);
