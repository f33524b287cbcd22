using Hive.Contracts;
using Hive.Messaging.Outbox;
using Media.Api.Delivery;
using Media.Api.Imaging;
using Media.Api.Placeholders;
using Media.Api.Storage;
using Microsoft.Extensions.Options;
using NetVips;

namespace Media.Api.Data;

/// <summary>
/// Takes uploads in: checks the bytes (type from magic bytes, header limits, a full decode that catches
/// truncation), computes the placeholders, stores the original, and records the row together with a
/// <see cref="ProductImageChanged"/> in media's outbox (<see cref="MediaOutbox"/>), one transaction. Catalog
/// writes its own product_images row and outbox event when the announcement reaches it.
/// </summary>
public sealed class ImageIntake(
    MediaImages images,
    ImageDirectory directory,
    IMediaStore store,
    MediaUrls urls,
    RenderSlots slots,
    OutboxTable<ProductImageChanged> outbox,
    TimeProvider clock,
    IOptions<MediaOptions> options)
{
    public async Task<MediaImage> AddAsync(long productId, long businessId, byte[] bytes, string altText, CancellationToken cancellationToken)
    {
        var original = await PrepareAsync(productId, bytes, cancellationToken);
        try
        {
            // The row and its announcement commit together: with RabbitMQ or catalog down the upload still
            // succeeds, and the outbox dispatcher tells catalog when they are back.
            return await images.InTransactionAsync(
                async (connection, tx) =>
                {
                    var image = await MediaImages.InsertAsync(connection, tx, productId, businessId, original, altText, cancellationToken);
                    await OutboxWriter.AppendAsync(outbox, connection, tx, image.Id, Change(image, ProductImageChangeKind.Added), cancellationToken);
                    return image;
                },
                cancellationToken);
        }
        catch
        {
            await store.DeleteAsync(original.StorageKey, CancellationToken.None);
            throw;
        }
    }

    public async Task<MediaImage?> ReplaceAsync(MediaImage current, byte[] bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var original = await PrepareAsync(current.ProductId, bytes, cancellationToken);
        MediaImage? image;
        try
        {
            image = await images.InTransactionAsync(
                async (connection, tx) =>
                {
                    var replaced = await MediaImages.ReplaceAsync(connection, tx, current.Id, original, cancellationToken);
                    if (replaced is not null)
                    {
                        await OutboxWriter.AppendAsync(outbox, connection, tx, replaced.Id, Change(replaced, ProductImageChangeKind.Replaced), cancellationToken);
                    }

                    return replaced;
                },
                cancellationToken);
        }
        catch
        {
            await store.DeleteAsync(original.StorageKey, CancellationToken.None);
            throw;
        }

        if (image is null)
        {
            await store.DeleteAsync(original.StorageKey, CancellationToken.None);
            return null;
        }

        await directory.ForgetAsync(image.Id, cancellationToken);
        await DeleteOriginalAsync(current.StorageKey);
        return image;
    }

    public async Task DeleteAsync(MediaImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var deleted = await images.InTransactionAsync(
            async (connection, tx) =>
            {
                if (!await MediaImages.DeleteAsync(connection, tx, image.Id, cancellationToken))
                {
                    return false;
                }

                await OutboxWriter.AppendAsync(outbox, connection, tx, image.Id, Change(image, ProductImageChangeKind.Deleted), cancellationToken);
                return true;
            },
            cancellationToken);
        if (!deleted)
        {
            return;
        }

        await directory.ForgetAsync(image.Id, cancellationToken);
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
}
