using System.Globalization;
using Hive.Messaging.Analytics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Hive.Messaging.Tests;

public sealed class AnalyticsOptionsTests
{
    [Theory]
    [InlineData(2_000, 2_000)]
    [InlineData(1, 1)]
    public void ABatchAsLargeAsTheBufferIsAccepted(int batchSize, int capacity)
    {
        var options = OptionsOf(batchSize, capacity);

        Assert.Equal((batchSize, capacity), (options.Value.BatchSize, options.Value.Capacity));
    }

    [Theory]
    [InlineData(2_001, 2_000)]
    [InlineData(500, 100)]
    public void ABatchLargerThanTheBufferIsRefusedNamingBothSettings(int batchSize, int capacity)
    {
        var options = OptionsOf(batchSize, capacity);

        var refused = Assert.Throws<OptionsValidationException>(() => options.Value);
        Assert.Contains(
            string.Create(CultureInfo.InvariantCulture, $"Hive:Analytics:BatchSize ({batchSize}) must not exceed Hive:Analytics:Capacity ({capacity})."),
            refused.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultsHoldTenWholeBatches()
    {
        var defaults = OptionsOf(null, null).Value;

        Assert.Equal((2_000, 20_000), (defaults.BatchSize, defaults.Capacity));
    }

    /// <summary>The options as a service registers them (bound from configuration, validated by their annotations).</summary>
    private static IOptions<AnalyticsOptions> OptionsOf(int? batchSize, int? capacity)
    {
        var builder = Host.CreateApplicationBuilder();
        if (batchSize is { } size)
        {
            builder.Configuration["Hive:Analytics:BatchSize"] = size.ToString(CultureInfo.InvariantCulture);
        }

        if (capacity is { } held)
        {
            builder.Configuration["Hive:Analytics:Capacity"] = held.ToString(CultureInfo.InvariantCulture);
        }

        builder.AddAnalyticsRecording("test");
        return builder.Services.BuildServiceProvider().GetRequiredService<IOptions<AnalyticsOptions>>();
    }
}
