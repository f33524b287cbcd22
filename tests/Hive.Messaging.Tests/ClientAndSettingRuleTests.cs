using System.Net;
using System.Security.Claims;
using Hive.Contracts;
using Hive.Messaging.Analytics;
using Hive.Messaging.Outbox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Hive.Messaging.Tests;

/// <summary>
/// Rules of the library a service relies on without a broker: who an analytics event is from, what a trending
/// score weighs, which RabbitMQ connection strings and outbox names are accepted.
/// </summary>
public sealed class ClientAndSettingRuleTests
{
    private static DefaultHttpContext Request(string? subject = null, string? forwardedFor = null, string? connectedFrom = "192.0.2.10")
    {
        var context = new DefaultHttpContext();
        if (subject is not null)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", subject)], "test"));
        }

        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        context.Connection.RemoteIpAddress = connectedFrom is null ? null : IPAddress.Parse(connectedFrom);
        return context;
    }

    [Theory]
    [InlineData("buyer-1", "203.0.113.9", "u:buyer-1")]
    [InlineData("", "203.0.113.9", "ip:203.0.113.9")]
    [InlineData(null, " 203.0.113.9 , 10.0.0.1", "ip:203.0.113.9")]
    [InlineData(null, ", 10.0.0.1", "ip:192.0.2.10")]
    [InlineData(null, "", "ip:192.0.2.10")]
    [InlineData(null, null, "ip:192.0.2.10")]
    public void AnEventIsFromTheSignedInSubjectElseTheFirstForwardedAddressElseTheConnection(string? subject, string? forwardedFor, string expected)
        => Assert.Equal(expected, AnalyticsClient.Of(Request(subject, forwardedFor)));

    [Fact]
    public void AnEventFromNobodyKnownHasNoClient() => Assert.Null(AnalyticsClient.Of(Request(connectedFrom: null)));

    [Fact]
    public void AClientIdIsCutTo128Characters()
    {
        Assert.Equal("u:" + new string('s', 126), AnalyticsClient.Of(Request(subject: new string('s', 300))));
        Assert.Equal("u:" + new string('s', 126), AnalyticsClient.Of(Request(subject: new string('s', 126))));
        Assert.Equal("ip:" + new string('f', 125), AnalyticsClient.Of(Request(forwardedFor: new string('f', 500))));
    }

    [Fact]
    public void AClientOfNoRequestIsRefused() => Assert.Throws<ArgumentNullException>(() => AnalyticsClient.Of(null!));

    [Fact]
    public void APurchaseWeighsMostThenAnAddToCartAClickAndAViewAndASearchNothing()
    {
        // The same weights as catalog's Postgres fallback for trending.
        Assert.Equal(
            [("Purchase", 10), ("AddToCart", 4), ("Click", 2), ("View", 1), ("Search", 0)],
            new[] { AnalyticsEventType.Purchase, AnalyticsEventType.AddToCart, AnalyticsEventType.Click, AnalyticsEventType.View, AnalyticsEventType.Search }
                .Select(type => (type.ToString(), TrendingBoards.Weight(type))));
        Assert.Equal(0, TrendingBoards.Weight((AnalyticsEventType)99));
    }

    [Fact]
    public void TheTrendingBoardsLiveInTheMetricsNamespace() =>
        Assert.Equal(
            ["metrics:trending:score", "metrics:trending:views", "metrics:trending:purchases"],
            new[] { TrendingBoards.Score, TrendingBoards.Views, TrendingBoards.Purchases }.Select(key => key.Value));

    private static IConfiguration RabbitMq(string? connectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = connectionString }).Build();

    [Theory]
    [InlineData("amqp://hive:secret@broker:5672/")]
    [InlineData("amqps://hive:secret@broker/hive")]
    public void AnAmqpUriIsTheBrokersAddress(string connectionString)
        => Assert.Equal(new Uri(connectionString), MessagingExtensions.RabbitMqUri(RabbitMq(connectionString)));

    [Theory]
    [InlineData(null, "is missing")]
    [InlineData("http://broker:15672/", "must be an amqp:// URI")]
    [InlineData("broker:5672", "must be an amqp:// URI")]
    [InlineData("not a uri", "must be an amqp:// URI")]
    public void AMissingOrNonAmqpConnectionStringIsRefusedNamingIt(string? connectionString, string why)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => MessagingExtensions.RabbitMqUri(RabbitMq(connectionString)));
        Assert.Contains("'rabbitmq'", refused.Message, StringComparison.Ordinal);
        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
    }

    private static Task NoTopology(Uri broker, CancellationToken cancellationToken) => Task.CompletedTask;

    [Theory]
    [InlineData("outbox_messages", "outbox_wake")]
    [InlineData("o", "w2")]
    public void AnOutboxIsNamedWithLowerCaseSqlIdentifiers(string table, string channel)
    {
        var outbox = new OutboxTable<ProductChanged>(table, channel, _ => true, NoTopology);
        Assert.Equal((table, channel, "ProductChanged"), (outbox.Table, outbox.Channel, outbox.MessageType));
    }

    [Theory]
    [InlineData("Outbox", "wake")]
    [InlineData("outbox; drop table products", "wake")]
    [InlineData("1outbox", "wake")]
    [InlineData("_outbox", "wake")]
    [InlineData("outbox", "wake-up")]
    [InlineData("outbox", "9wake")]
    [InlineData("outbox", "wake up")]
    public void AnOutboxNameThatIsNoLowerCaseSqlIdentifierIsRefused(string table, string channel)
        => Assert.Throws<ArgumentException>(() => new OutboxTable<ProductChanged>(table, channel, _ => true, NoTopology));

    [Fact]
    public void AnOutboxWithoutANameOrARuleIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new OutboxTable<ProductChanged>("", "wake", _ => true, NoTopology));
        Assert.Throws<ArgumentException>(() => new OutboxTable<ProductChanged>("outbox", "", _ => true, NoTopology));
        Assert.Throws<ArgumentNullException>(() => new OutboxTable<ProductChanged>("outbox", "wake", null!, NoTopology));
        Assert.Throws<ArgumentNullException>(() => new OutboxTable<ProductChanged>("outbox", "wake", _ => true, null!));
    }
}
