using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Hive.ServiceDefaults;
using Media.Api.Data;
using Media.Api.Delivery;
using Media.Api.Extensions;
using Media.Api.Imaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Media.Api.Apis;

/// <summary>
/// Product images: uploads by the owning business, signed renderings with format negotiation, named
/// variants with placeholders, and responsive sets. The service never fetches a URL a client gives.
/// </summary>
public static class MediaApi
{

    private static readonly string RendererVersion = NetVips.NetVips.Version(0).ToString(CultureInfo.InvariantCulture)
        + "." + NetVips.NetVips.Version(1).ToString(CultureInfo.InvariantCulture)
        + "." + NetVips.NetVips.Version(2).ToString(CultureInfo.InvariantCulture);

    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        // Every route passes the gateway's rate limit ('media', 'writes').
        var api = app.MapGroup("/api/media").WithTags("Media").ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/sizes", GetSizes).WithName("GetImageSizes")
            .WithSummary("The named renditions every product image is offered in.");

        // The rest reads image records from Postgres.
        var images = api.MapGroup("").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        var seller = images.MapGroup("").RequireAuthorization(HivePolicies.Seller)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        seller.MapPost("/products/{productId:long}/images", UploadImage).WithName("UploadProductImage").DisableAntiforgery()
            .WithSummary("Adds a picture to a product of the seller's business and answers its placeholders and card URL.")
            .WithDescription("multipart/form-data with the picture in 'file' (JPEG, PNG, WebP or AVIF, judged from its bytes) and an optional 'altText'.")
            .WithUploadProblems()
            .WithProblemExample(StatusCodes.Status404NotFound, "Not found", "No product 42 of your business.");
        seller.MapPut("/images/{imageId:long}", ReplaceImage).WithName("ReplaceProductImage").DisableAntiforgery()
            .WithSummary("Replaces an image's picture; its version goes up, so URLs of the old picture stop resolving.")
            .WithDescription("multipart/form-data with the new picture in 'file'.")
            .WithUploadProblems()
            .WithProblemExample(StatusCodes.Status404NotFound, "Not found", "No image 7 of your business.");
        seller.MapDelete("/images/{imageId:long}", DeleteImage).WithName("DeleteProductImage")
            .WithSummary("Deletes an image of the seller's business with its renderings.")
            .WithProblemExample(StatusCodes.Status404NotFound, "Not found", "No image 7 of your business.");

        images.MapGet("/images/{imageId:long}", GetRendering).WithName("GetImageRendering")
            .WithSummary("A signed rendering of an image (the URLs from /variants and /responsive), in the format the Accept header prefers.")
            .WithDescription("Only URLs signed by media resolve; a URL with v= is immutable and cached for a year. Answers If-None-Match with 304.")
            .WithImageAnswers()
            .ProducesValidationProblem()
            .WithValidationExample("format", "format must be auto, avif, webp, jpeg or png, got 'gif'.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithProblemExample(StatusCodes.Status403Forbidden, "Unsigned rendering",
                "This rendering URL is not signed by media (or a parameter was changed); use the URLs from /variants or /responsive.",
                "sig is missing or does not match the parameters.")
            .ProducesNotFound("Image 7 was replaced: version 1 is gone, the current one is 2.");
        images.MapGet("/images/{imageId:long}/variants", GetVariants).WithName("GetImageVariants")
            .WithSummary("An image's named variants with a URL per format, and its placeholders.")
            .ProducesNotFound("No image 7.");
        images.MapGet("/images/{imageId:long}/responsive", GetResponsive).WithName("GetResponsiveImageSet")
            .WithSummary("src, srcset and sizes for an <img> showing the image at up to maxWidth pixels.")
            .ProducesNotFound("No image 7.");
        images.MapGet("/images/{imageId:long}/{variant}", GetNamedVariant).WithName("GetNamedImageVariant")
            .WithSummary("A named variant (thumbnail, small, medium, large, full) of the image's current picture, in the format the Accept header prefers.")
            .WithImageAnswers()
            .ProducesNotFound("No variant 'huge'; the variants are thumbnail, small, medium, large, full.");
        return app;
    }

    public static Ok<IReadOnlyList<NamedVariant>> GetSizes() => TypedResults.Ok(NamedVariant.All);

    public static async Task<Results<Created<ImageAnswer>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> UploadImage(
        long productId, HttpRequest request, ClaimsPrincipal user, MediaImages images, ImageIntake intake, IOptions<MediaOptions> options, CancellationToken cancellationToken)
    {
        if (user.BusinessId() is not { } businessId)
        {
            return TypedResults.Forbid();
        }

        // Ownership before reading the body: another business learns nothing, not even that the product exists.
        if (await images.ProductOwnerAsync(productId, cancellationToken) != businessId)
        {
            return NotFound($"No product {productId} of your business.");
        }

        var (bytes, altText, invalid, problem) = await ReadUploadAsync(request, options.Value, cancellationToken);
        if (invalid is not null)
        {
            return invalid.ToProblem();
        }

        if (problem is not null)
        {
            return problem;
        }

        var image = await intake.AddAsync(productId, businessId, bytes!, altText, cancellationToken);
        return TypedResults.Created($"/api/media/images/{image.Id}/variants", ImageAnswer.From(image, intake));
    }

    public static async Task<Results<Ok<ImageAnswer>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> ReplaceImage(
        long imageId, HttpRequest request, ClaimsPrincipal user, ImageDirectory directory, ImageIntake intake, IOptions<MediaOptions> options, CancellationToken cancellationToken)
    {
        if (user.BusinessId() is not { } businessId)
        {
            return TypedResults.Forbid();
        }

        if (await directory.FindAsync(imageId, cancellationToken) is not { } current || current.BusinessId != businessId)
        {
            return NotFound($"No image {imageId} of your business.");
        }

        var (bytes, _, invalid, problem) = await ReadUploadAsync(request, options.Value, cancellationToken);
        if (invalid is not null)
        {
            return invalid.ToProblem();
        }

        if (problem is not null)
        {
            return problem;
        }

        var image = await intake.ReplaceAsync(current, bytes!, cancellationToken);
        return image is null ? NotFound($"Image {imageId} was deleted meanwhile.") : TypedResults.Ok(ImageAnswer.From(image, intake));
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ForbidHttpResult>> DeleteImage(
        long imageId, ClaimsPrincipal user, ImageDirectory directory, ImageIntake intake, CancellationToken cancellationToken)
    {
        if (user.BusinessId() is not { } businessId)
        {
            return TypedResults.Forbid();
        }

        if (await directory.FindAsync(imageId, cancellationToken) is not { } image || image.BusinessId != businessId)
        {
            return NotFound($"No image {imageId} of your business.");
        }

        await intake.DeleteAsync(image, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> GetRendering(
        long imageId, HttpContext http, ImageDirectory directory, UrlSigner signer, RenderingService renderings, IOptions<MediaOptions> options, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (!RenderRequest.TryParse(imageId, query, options.Value.MaxDimension, out var request, out var error))
        {
            return ValidationErrors.Problem(error.Field, error.Detail);
        }

        if (!signer.IsValid(request.Canonical, query["sig"]))
        {
            return TypedResults.Problem(
                "This rendering URL is not signed by media (or a parameter was changed); use the URLs from /variants or /responsive.",
                statusCode: StatusCodes.Status403Forbidden,
                title: "Unsigned rendering",
                extensions: new Dictionary<string, object?> { ["field"] = "sig" });
        }

        if (await directory.FindAsync(imageId, cancellationToken) is not { } image)
        {
            return NotFound($"No image {imageId}.");
        }

        if (request.Version is { } version && version != image.Version)
        {
            return NotFound($"Image {imageId} was replaced: version {version} is gone, the current one is {image.Version}.");
        }

        var format = request.Format ?? FormatNegotiation.Choose(http.Request.Headers.Accept);
        return await ServeAsync(http, image, request.Spec(format), versioned: request.Version is not null, negotiated: request.Format is null, renderings, cancellationToken);
    }

    /// <summary>
    /// A named variant by name at the image's current version (<c>/images/{id}/small</c>): no signature is
    /// needed since only the five fixed sizes exist; not versioned, so it is cached for minutes, not a year.
    /// </summary>
    public static async Task<IResult> GetNamedVariant(
        long imageId, string variant, HttpContext http, ImageDirectory directory, RenderingService renderings, CancellationToken cancellationToken)
    {
        if (NamedVariant.Find(variant) is not { } named)
        {
            return NotFound($"No variant '{(variant.Length > 40 ? variant[..40] : variant)}'; the variants are {string.Join(", ", NamedVariant.All.Select(v => v.Name))}.");
        }

        if (await directory.FindAsync(imageId, cancellationToken) is not { } image)
        {
            return NotFound($"No image {imageId}.");
        }

        var spec = new RenderSpec(named.Size, named.Size, Fit.Cover, Gravity.Centre, null, FormatNegotiation.Choose(http.Request.Headers.Accept));
        return await ServeAsync(http, image, spec, versioned: false, negotiated: true, renderings, cancellationToken);
    }

    private static async Task<IResult> ServeAsync(HttpContext http, MediaImage image, RenderSpec spec, bool versioned, bool negotiated, RenderingService renderings, CancellationToken cancellationToken)
    {
        var format = spec.Format;
        var etag = new EntityTagHeaderValue(ETag(image, spec));
        var headers = http.Response.GetTypedHeaders();
        headers.ETag = etag;
        http.Response.Headers.CacheControl = versioned ? CachePolicies.Immutable : CachePolicies.Public(300);
        if (negotiated)
        {
            http.Response.Headers.Vary = "Accept";
        }

        if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } ifNoneMatch
            && ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var bytes = await renderings.GetAsync(image, spec, cancellationToken);
        return TypedResults.Bytes(bytes, format.ContentType());
    }

    public static async Task<Results<Ok<VariantSet>, ProblemHttpResult>> GetVariants(
        long imageId, HttpContext http, ImageDirectory directory, VariantSets sets, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(imageId, cancellationToken) is not { } image)
        {
            return NotFound($"No image {imageId}.");
        }

        var set = await sets.GetAsync(image, cancellationToken);
        http.Response.Headers.CacheControl = CachePolicies.Public(60);
        return TypedResults.Ok(set);
    }

    public static async Task<Results<Ok<ResponsiveSet>, ValidationProblem, ProblemHttpResult>> GetResponsive(
        long imageId, string? sizes, string? maxWidth, string? aspectRatio, ImageDirectory directory, MediaUrls urls, IOptions<MediaOptions> options, CancellationToken cancellationToken)
    {
        sizes = string.IsNullOrWhiteSpace(sizes) ? "100vw" : sizes.Trim();
        if (sizes.Length > 300 || sizes.Any(c => char.IsControl(c) || c is '"' or '<' or '>' or '\\'))
        {
            return ValidationErrors.Problem("sizes", "sizes must be a CSS sizes list of at most 300 characters, such as '(max-width: 768px) 100vw, 50vw'.");
        }

        var errors = new ValidationErrors();
        var width = errors.WholeNumber(maxWidth, "maxWidth", 1, options.Value.MaxDimension) ?? options.Value.MaxDimension;
        if (errors.Count > 0)
        {
            return errors.ToProblem();
        }

        double? ratio = null;
        if (!string.IsNullOrEmpty(aspectRatio) && (ratio = ResponsiveSets.ParseAspectRatio(aspectRatio)) is null)
        {
            return ValidationErrors.Problem("aspectRatio", $"aspectRatio must be a number or 'w:h' between {ResponsiveSets.MinAspectRatio} and {ResponsiveSets.MaxAspectRatio}, such as 1, 1.5 or 16:9.");
        }

        if (await directory.FindAsync(imageId, cancellationToken) is not { } image)
        {
            return NotFound($"No image {imageId}.");
        }

        return TypedResults.Ok(ResponsiveSets.Build(image, urls, sizes, width, ratio));
    }

    /// <summary>Strong: one (image version, parameters, libvips version) always gives the same bytes.</summary>
    private static string ETag(MediaImage image, RenderSpec spec)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{RendererVersion}|{RenderingService.NameOf(image, spec)}"));
        return "\"" + Base64Url.EncodeToString(hash.AsSpan(0, 16)) + "\"";
    }

    /// <summary>The picture and its alt text, or what is wrong: a field to fix (400) or a refused transfer (413, 415).</summary>
    private static async Task<(byte[]? Bytes, string AltText, ValidationErrors? Invalid, ProblemHttpResult? Problem)> ReadUploadAsync(HttpRequest request, MediaOptions options, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxUploadBytes + 64 * 1024)
        {
            return (null, "", null, TooLarge(options));
        }

        if (!request.HasFormContentType)
        {
            return (null, "", null, TypedResults.Problem("Send the picture as multipart/form-data with a part named 'file'.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not a form",
                extensions: new Dictionary<string, object?> { ["field"] = "file" }));
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            return (null, "", new ValidationErrors().Add("file", "The form has no (or an empty) part named 'file'."), null);
        }

        if (file.Length > options.MaxUploadBytes)
        {
            return (null, "", null, TooLarge(options));
        }

        if (!IsPlainFileName(file.FileName))
        {
            return (null, "", new ValidationErrors().Add("file", "The file name may hold letters, digits, spaces and . _ - ( ) only, with no path (no '/', '\\' or '..')."), null);
        }

        var altText = form["altText"].ToString();
        if (altText.Length > 300 || altText.Any(char.IsControl))
        {
            return (null, "", new ValidationErrors().Add("altText", "altText must be at most 300 characters without control characters."), null);
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }

        return (bytes, altText, null, null);
    }

    private static bool IsPlainFileName(string name)
        => name.Length is > 0 and <= 200
           && !name.Contains("..", StringComparison.Ordinal)
           && name.All(c => char.IsLetterOrDigit(c) || c is ' ' or '.' or '_' or '-' or '(' or ')');

    private static ProblemHttpResult TooLarge(MediaOptions options)
        => TypedResults.Problem($"The picture is larger than {options.MaxUploadBytes / (1024 * 1024)} MiB.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large",
            extensions: new Dictionary<string, object?> { ["field"] = "file" });

    private static ProblemHttpResult NotFound(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

/// <summary>An uploaded image: its id, version, size, placeholders and the signed card URL catalog shows.</summary>
public sealed record ImageAnswer(long Id, long ProductId, int Version, int Width, int Height, string ContentType, string Placeholder, string BlurHash, string CardUrl, string VariantsUrl)
{
    public static ImageAnswer From(MediaImage image, ImageIntake intake)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(intake);
        return new(image.Id, image.ProductId, image.Version, image.Width, image.Height, image.ContentType, image.Placeholder, image.BlurHash,
            intake.Change(image, Hive.Contracts.ProductImageChangeKind.Added).CardUrl, $"/api/media/images/{image.Id}/variants");
    }
}
