using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Hive.Bench.Fleet;
using Media.Api;
using Media.Api.Delivery;
using Media.Api.Imaging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using NamedVariant = Media.Api.Delivery.NamedVariant;

namespace Hive.Bench.Experiments;

/// <summary>
/// Media on real photographs out of Debian packages (mate-backgrounds' 2–5 MP nature photos, python3-skimage's
/// astronaut and coffee): bytes of every named variant as JPEG, WebP and AVIF against the original, render
/// time per variant with media's own <see cref="Renderer"/>, SixLabors.ImageSharp 2.1 doing the same cover
/// resize in the same run (alternating, both single-threaded per render), throughput and peak memory with
/// two renders at once, and, on a fleet it starts, a cached variant through the gateway against a cold render.
/// </summary>
internal static class MediaBench
{
    private static readonly string Samples = Path.Combine(Path.GetTempPath(), "hive-media-samples");

    private static readonly (string Package, string Path)[] PhotoFiles =
    [
        ("mate-backgrounds", "usr/share/backgrounds/mate/nature/LadyBird.jpg"),
        ("mate-backgrounds", "usr/share/backgrounds/mate/nature/Storm.jpg"),
        ("mate-backgrounds", "usr/share/backgrounds/mate/nature/Wood.jpg"),
        ("mate-backgrounds", "usr/share/backgrounds/mate/nature/TwoWings.jpg"),
        ("mate-backgrounds", "usr/share/backgrounds/mate/nature/Garden.jpg"),
        ("python3-skimage", "usr/lib/python3/dist-packages/skimage/data/astronaut.png"),
        ("python3-skimage", "usr/lib/python3/dist-packages/skimage/data/coffee.png"),
    ];

    private static readonly ImageFormat[] Formats = [ImageFormat.Jpeg, ImageFormat.Webp, ImageFormat.Avif];

    public static async Task RunAsync(int rounds, int concurrentSeconds, bool withFleet, TextWriter output, CancellationToken cancellationToken)
    {
        var photos = new List<Photo>();
        foreach (var (package, path) in PhotoFiles)
        {
            var file = await DebianFileAsync(package, path, cancellationToken);
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
            var header = OriginalInspector.Inspect(bytes, 50_000_000);
            photos.Add(new Photo(Path.GetFileName(file), bytes, header));
        }

        VipsLimits.Apply();
        var options = Options.Create(new MediaOptions { DataRoot = Path.GetTempPath(), UrlSigningKey = new string('k', 32) });
        using var faces = new FaceFinder(options, NullLogger<FaceFinder>.Instance);
        var renderer = new Renderer(faces, options);
        // Both libraries render on one thread each: concurrency comes from running renders side by side.
        var sharp = Configuration.Default.Clone();
        sharp.MaxDegreeOfParallelism = 1;

        output.WriteLine("== photographs");
        foreach (var photo in photos)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{photo.Name,-16} {photo.Header.Format.Name(),-5} {photo.Header.Width}x{photo.Header.Height} ({photo.Header.Width * (double)photo.Header.Height / 1e6:0.0} MP) {photo.Bytes.Length / 1024.0:0} KB"));
        }

        var jpegPhotos = photos.Where(p => p.Header.Format == ImageFormat.Jpeg).ToList();
        output.WriteLine();
        output.WriteLine($"== bytes per named variant (square, cover, quality auto), mean over the {jpegPhotos.Count} JPEG photographs (mean original {jpegPhotos.Average(p => p.Bytes.Length) / 1024.0:0} KB), and render time (median of {rounds} rounds, one thread)");
        output.WriteLine($"{"variant",-10} {"box",-10} {"JPEG KB",8} {"WebP KB",8} {"AVIF KB",8} {"JPEG/orig",10} {"AVIF/orig",10} {"JPEG ms",8} {"WebP ms",8} {"AVIF ms",8}");
        var samples = new Dictionary<(string Variant, ImageFormat Format), List<(long Bytes, double Ms)>>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var photo in jpegPhotos)
            {
                foreach (var variant in NamedVariant.All)
                {
                    foreach (var format in Formats)
                    {
                        var spec = new RenderSpec(variant.Size, variant.Size, Fit.Cover, Gravity.Centre, null, format);
                        var clock = Stopwatch.StartNew();
                        var rendered = renderer.Render(photo.Bytes, photo.Header, spec);
                        var ms = clock.Elapsed.TotalMilliseconds;
                        var list = samples.TryGetValue((variant.Name, format), out var found) ? found : samples[(variant.Name, format)] = [];
                        list.Add((rendered.Bytes.Length, ms));
                    }
                }
            }
        }

        var meanOriginal = jpegPhotos.Average(p => (double)p.Bytes.Length);
        foreach (var variant in NamedVariant.All)
        {
            double Kb(ImageFormat f) => samples[(variant.Name, f)].Average(s => s.Bytes) / 1024.0;
            double Ms(ImageFormat f) => Median(samples[(variant.Name, f)].Select(s => s.Ms));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{variant.Name,-10} {variant.Size + "²",-10} {Kb(ImageFormat.Jpeg),8:0.0} {Kb(ImageFormat.Webp),8:0.0} {Kb(ImageFormat.Avif),8:0.0} {Kb(ImageFormat.Jpeg) * 1024 / meanOriginal,10:0.000} {Kb(ImageFormat.Avif) * 1024 / meanOriginal,10:0.000} {Ms(ImageFormat.Jpeg),8:0.0} {Ms(ImageFormat.Webp),8:0.0} {Ms(ImageFormat.Avif),8:0.0}"));
        }

        output.WriteLine();
        output.WriteLine("== the two PNG photographs (python3-skimage), bytes per variant");
        foreach (var photo in photos.Where(p => p.Header.Format == ImageFormat.Png))
        {
            foreach (var variant in NamedVariant.All.Take(3))
            {
                var sizes = Formats.Select(f => renderer.Render(photo.Bytes, photo.Header, new RenderSpec(variant.Size, variant.Size, Fit.Cover, Gravity.Centre, null, f)).Bytes.Length / 1024.0).ToList();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{photo.Name,-16} {variant.Name,-10} JPEG {sizes[0],6:0.0} KB  WebP {sizes[1],6:0.0} KB  AVIF {sizes[2],6:0.0} KB  (original {photo.Bytes.Length / 1024.0:0} KB)"));
            }
        }

        output.WriteLine();
        output.WriteLine($"== NetVips (media's Renderer) vs SixLabors.ImageSharp 2.1.13, the same cover resize and encoder quality, alternating, median of {rounds} rounds × {jpegPhotos.Count} photos");
        output.WriteLine($"{"variant",-10} {"format",-6} {"vips ms",8} {"sharp ms",9} {"sharp/vips",11} {"vips KB",8} {"sharp KB",9}");
        foreach (var variant in NamedVariant.All)
        {
            foreach (var format in new[] { ImageFormat.Jpeg, ImageFormat.Webp })
            {
                var vips = new List<double>();
                var imageSharp = new List<double>();
                long vipsBytes = 0, sharpBytes = 0;
                for (var round = 0; round < rounds; round++)
                {
                    foreach (var photo in jpegPhotos)
                    {
                        var spec = new RenderSpec(variant.Size, variant.Size, Fit.Cover, Gravity.Centre, null, format);
                        var clock = Stopwatch.StartNew();
                        var rendered = renderer.Render(photo.Bytes, photo.Header, spec);
                        vips.Add(clock.Elapsed.TotalMilliseconds);
                        clock.Restart();
                        var other = SharpRender(sharp, photo.Bytes, rendered.Width, rendered.Height, format, spec.EffectiveQuality);
                        imageSharp.Add(clock.Elapsed.TotalMilliseconds);
                        if (round == 0)
                        {
                            vipsBytes += rendered.Bytes.Length;
                            sharpBytes += other.Length;
                        }
                    }
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{variant.Name,-10} {format.Name(),-6} {Median(vips),8:0.0} {Median(imageSharp),9:0.0} {Median(imageSharp) / Median(vips),10:0.0}x {vipsBytes / 1024.0 / jpegPhotos.Count,8:0.0} {sharpBytes / 1024.0 / jpegPhotos.Count,9:0.0}"));
            }
        }

        output.WriteLine();
        output.WriteLine($"== one and two renders at once, {concurrentSeconds} s each: the medium variant (640², a card on a phone) as WebP of every JPEG photo, round robin");
        var runs = new List<ConcurrentRun>();
        foreach (var workers in new[] { 1, 2 })
        {
            runs.Add(await ConcurrentAsync($"NetVips ×{workers}", workers, jpegPhotos, concurrentSeconds, photo =>
                _ = renderer.Render(photo.Bytes, photo.Header, new RenderSpec(640, 640, Fit.Cover, Gravity.Centre, null, ImageFormat.Webp)), cancellationToken));
            runs.Add(await ConcurrentAsync($"ImageSharp ×{workers}", workers, jpegPhotos, concurrentSeconds, photo =>
            {
                var (w, h) = RenderGeometry.Box(photo.Header.Width, photo.Header.Height, new RenderSpec(640, 640, Fit.Cover, Gravity.Centre, null, ImageFormat.Webp), 4096);
                _ = SharpRender(sharp, photo.Bytes, w, h, ImageFormat.Webp, 78);
            }, cancellationToken));
        }

        foreach (var run in runs)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run.Name,-14} {run.Renders,5} renders in {run.Seconds:0.0} s = {run.Renders / run.Seconds,6:0.0} renders/s; process memory {run.BaselineMb:0} MB before, peak {run.PeakMb:0} MB (+{run.PeakMb - run.BaselineMb:0} MB)"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"two at once, throughput NetVips / ImageSharp: {runs[2].Renders / runs[2].Seconds / (runs[3].Renders / runs[3].Seconds):0.0}x; peak extra memory ImageSharp / NetVips: {(runs[3].PeakMb - runs[3].BaselineMb) / Math.Max(1, runs[2].PeakMb - runs[2].BaselineMb):0.0}x"));

        if (withFleet)
        {
            await FleetAsync(jpegPhotos[0], output, cancellationToken);
        }
    }

    /// <summary>Uploads a photograph to a few products on a fleet it starts, then fetches named variants cold (first) and cached (again).</summary>
    private static async Task FleetAsync(Photo photo, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine();
        output.WriteLine("Starting the fleet (demo data)...");
        await using var fleet = await BenchFleet.StartAsync([], cancellationToken);
        var gateway = fleet.Endpoint("gateway");
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
        var token = await fleet.AccessTokenAsync("seller-1@hive.test", cancellationToken);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var products = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/catalog/seller/products?pageSize=6", cancellationToken));
        var productIds = products.RootElement.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).Take(6).ToList();
        var imageIds = new List<long>();
        foreach (var productId in productIds)
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(photo.Bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "file", photo.Name);
            using var uploaded = await http.PostAsync($"/api/media/products/{productId}/images", form, cancellationToken);
            uploaded.EnsureSuccessStatusCode();
            using var body = System.Text.Json.JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync(cancellationToken));
            imageIds.Add(body.RootElement.GetProperty("id").GetInt64());
        }

        http.DefaultRequestHeaders.Authorization = null;
        http.DefaultRequestHeaders.Accept.ParseAdd("image/webp,image/*;q=0.8");
        var cold = new Dictionary<string, List<double>>();
        var cached = new Dictionary<string, List<double>>();
        foreach (var variant in NamedVariant.All)
        {
            cold[variant.Name] = [];
            cached[variant.Name] = [];
            foreach (var imageId in imageIds)
            {
                var path = $"/api/media/images/{imageId}/{variant.Name}";
                cold[variant.Name].Add(await TimedGetAsync(http, path, cancellationToken));
                for (var i = 0; i < 20; i++)
                {
                    cached[variant.Name].Add(await TimedGetAsync(http, path, cancellationToken));
                }
            }
        }

        output.WriteLine($"== a named variant as WebP through the gateway: cold (first request renders) vs cached (Redis ≤ 96 KiB, else disk), {imageIds.Count} uploads of {photo.Name}, 20 cached GETs each");
        output.WriteLine($"{"variant",-10} {"cold p50 ms",12} {"cached p50 ms",14} {"cached p95 ms",14} {"cold/cached",12}");
        foreach (var variant in NamedVariant.All)
        {
            var c = Median(cold[variant.Name]);
            var w = Median(cached[variant.Name]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{variant.Name,-10} {c,12:0.0} {w,14:0.00} {Percentile(cached[variant.Name], 0.95),14:0.00} {c / w,11:0.0}x"));
        }
    }

    private static async Task<double> TimedGetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(path, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var ms = clock.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode || bytes.Length == 0)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        }

        return ms;
    }

    private static byte[] SharpRender(Configuration configuration, byte[] original, int width, int height, ImageFormat format, int quality)
    {
        using var image = SixLabors.ImageSharp.Image.Load<Rgb24>(configuration, original);
        image.Mutate(x => x.AutoOrient().Resize(new ResizeOptions
        {
            Size = new Size(width, height),
            Mode = ResizeMode.Crop,
            Position = AnchorPositionMode.Center,
            Sampler = KnownResamplers.Lanczos3,
        }));
        image.Metadata.ExifProfile = null;
        image.Metadata.IccProfile = null;
        image.Metadata.XmpProfile = null;
        using var stream = new MemoryStream();
        if (format == ImageFormat.Jpeg)
        {
            image.SaveAsJpeg(stream, new JpegEncoder { Quality = quality });
        }
        else
        {
            image.SaveAsWebp(stream, new WebpEncoder { Quality = quality, Method = WebpEncodingMethod.Level4 });
        }

        return stream.ToArray();
    }

    private static async Task<ConcurrentRun> ConcurrentAsync(string name, int workerCount, List<Photo> jobs, int seconds, Action<Photo> render, CancellationToken cancellationToken)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        long peak = baseline;
        var next = -1;
        var done = 0;
        var until = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(5, CancellationToken.None);
            }
        }, CancellationToken.None);
        var workers = Enumerable.Range(0, workerCount).Select(_ => Task.Run(() =>
        {
            while (until.Elapsed.TotalSeconds < seconds && !cancellationToken.IsCancellationRequested)
            {
                render(jobs[Interlocked.Increment(ref next) % jobs.Count]);
                Interlocked.Increment(ref done);
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(workers);
        var elapsed = until.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        return new ConcurrentRun(name, done, elapsed, baseline / 1048576.0, peak / 1048576.0);
    }

    private static async Task<string> DebianFileAsync(string package, string relativePath, CancellationToken cancellationToken)
    {
        var target = Path.Combine(Samples, package, relativePath);
        if (File.Exists(target))
        {
            return target;
        }

        var downloads = Path.Combine(Samples, "debs");
        Directory.CreateDirectory(downloads);
        await RunAsync("apt-get", $"download {package}", downloads, cancellationToken);
        var deb = Directory.GetFiles(downloads, package + "_*.deb").OrderByDescending(File.GetLastWriteTimeUtc).First();
        await RunAsync("dpkg", $"-x {deb} {Path.Combine(Samples, package)}", downloads, cancellationToken);
        return File.Exists(target) ? target : throw new FileNotFoundException($"{package} has no {relativePath}.", target);
    }

    private static async Task RunAsync(string program, string arguments, string directory, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed: {await error}");
        }
    }

    private static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }

    private sealed record Photo(string Name, byte[] Bytes, ImageHeader Header);

    private sealed record ConcurrentRun(string Name, int Renders, double Seconds, double BaselineMb, double PeakMb);
}
