using Hive.Contracts;
using MassTransit;
using Media.Api.Delivery;
using Media.Api.Imaging;
using Media.Api.Placeholders;
using Media.Api.Storage;
using Microsoft.Extensions.Options;
using NetVips;

namespace Media.Api.Data;

/// <summary>
/// Takes uploads in: checks the bytes (type from magic bytes, header limits, a full decode that catches
/// truncation), computes the placeholders, stores the original, records the row, and tells catalog
/// through <see cref="ProductImageChanged"/>. Catalog writes its own product_images row and outbox event.
/// </summary>
public sealed partial class ImageIntake(
    MediaImages images,
    ImageDirectory directory,
    IMediaStore store,
    MediaUrls urls,
    RenderSlots slots,
    IPublishEndpoint publisher,
    TimeProvider clock,
    IOptions<MediaOptions> options,
    ILogger<ImageIntake> logger)
{
    public async Task<MediaImage> AddAsync(long productId, long businessId, byte[] bytes, string altText, CancellationToken cancellationToken)
    {
        var original = await PrepareAsync(productId, bytes, cancellationToken);
        var image = await images.InsertAsync(productId, businessId, original, altText, cancellationToken);
        await AnnounceOrUndoAsync(image, ProductImageChangeKind.Added, undo: () => images.DeleteAsync(image.Id, CancellationToken.None), original.StorageKey);
        return image;
    }

    public async Task<MediaImage?> ReplaceAsync(MediaImage current, byte[] bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var original = await PrepareAsync(current.ProductId, bytes, cancellationToken);
        var image = await images.ReplaceAsync(current.Id, original, cancellationToken);
        if (image is null)
        {
            await store.DeleteAsync(original.StorageKey, CancellationToken.None);
            return null;
        }

        await directory.ForgetAsync(image.Id, cancellationToken);
        await publisher.Publish(Change(image, ProductImageChangeKind.Replaced), cancellationToken);
        await DeleteOriginalAsync(current.StorageKey);
        return image;
    }

    public async Task DeleteAsync(MediaImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!await images.DeleteAsync(image.Id, cancellationToken))
        {
            return;
        }

        await directory.ForgetAsync(image.Id, cancellationToken);
        await publisher.Publish(Change(image, ProductImageChangeKind.Deleted), cancellationToken);
        await DeleteOriginalAsync(image.StorageKey);
    }

    /// <summary>Originals of demo data are shared between images; only an upload's own original is deleted.</summary>
    public Task DeleteOriginalAsync(string storageKey)
        => storageKey.StartsWith("originals/", StringComparison.Ordinal)
            ? store.DeleteAsync(storageKey, CancellationToken.None)
            : Task.CompletedTask;

    public ProductImageChanged Change(MediaImage image, ProductImageChangeKind kind)
    {
        ArgumentNullException.ThrowIfNull(image);
        var card = NamedVariant.Find(options.Value.CardVariant) ?? NamedVariant.All[1];
        return new ProductImageChanged(
            image.Id, image.ProductId, image.BusinessId, kind, image.Version,
            urls.Variant(image, card, null), image.Placeholder, image.Width, image.Height, image.Position, image.AltText, clock.GetUtcNow());
    }

    private async Task<NewOriginal> PrepareAsync(long productId, byte[] bytes, CancellationToken cancellationToken)
    {
        var header = OriginalInspector.Inspect(bytes, options.Value.MaxPixels);
        var (thumbHash, blurHash) = await slots.RunAsync(() => Placeholders(bytes, header), cancellationToken);
        var extension = header.Format == ImageFormat.Jpeg ? "jpg" : header.Format.Name();
        var key = StorageKeys.Original(productId, Guid.NewGuid(), extension);
        await store.PutAsync(key, bytes, cancellationToken);
        return new NewOriginal(key, header.Format.ContentType(), header.Width, header.Height, bytes.LongLength, thumbHash, blurHash);
    }

    /// <summary>The first full decode of the upload: a truncated or corrupt file fails here, before it is stored.</summary>
    public static (string ThumbHash, string BlurHash) Placeholders(byte[] bytes, ImageHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        try
        {
            Renderer.Verify(bytes, header.Format);
            var (rgba, width, height) = Renderer.Pixels(bytes, ThumbHash.MaxSide, Enums.FailOn.Truncated);
            return (Convert.ToBase64String(ThumbHash.Encode(width, height, rgba)), BlurHash.Encode(4, 3, width, height, rgba, 4));
        }
        catch (VipsException ex)
        {
            throw new ImageRejectedException("file", $"The {header.Format.Name()} file is truncated or corrupt: {OriginalInspector.FirstLine(ex.Message)}");
        }
    }

    private async Task AnnounceOrUndoAsync(MediaImage image, ProductImageChangeKind kind, Func<Task<bool>> undo, string storageKey)
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await publisher.Publish(Change(image, kind), deadline.Token);
        }
        catch (Exception ex)
        {
            // Catalog would never learn of the image: take it back and let the client retry.
            LogAnnounceFailed(logger, ex, image.Id);
            await undo();
            await store.DeleteAsync(storageKey, CancellationToken.None);
            throw new MessageBrokerUnavailableException(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce image {ImageId} to catalog; the upload was undone")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, long imageId);
}

/// <summary>The broker did not take the event; the upload is undone and answered with 503.</summary>
public sealed class MessageBrokerUnavailableException(Exception inner) : Exception("The message broker is unavailable.", inner);
