using System.Text;
using Hive.ServiceDefaults;

namespace Hive.ServiceDefaults.Tests;

public sealed class KeysetCursorTests
{
    private static readonly byte[] Key = "keyset-cursor-tests-key-0123456789abcdef"u8.ToArray();

    [Fact]
    public void ACursorOpensForItsOwnListAndSortOnlyWithTheKeyThatSealedIt()
    {
        var at = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        var text = new KeysetCursor("orders:buyer-7", "newest", null, at.UtcTicks, 42).Encode(Key);

        var opened = KeysetCursor.TryOpen(text, "orders:buyer-7", "newest", Key);

        Assert.NotNull(opened);
        Assert.Equal(42, opened.Id);
        Assert.Equal(at, opened.Time);
        Assert.Null(KeysetCursor.TryOpen(text, "orders:buyer-8", "newest", Key));
        Assert.Null(KeysetCursor.TryOpen(text, "orders:buyer-7", "price-asc", Key));
        Assert.Null(KeysetCursor.TryOpen(text, "orders:buyer-7", "newest", "another-key-another-key-another-key-0000"u8.ToArray()));
    }

    [Fact]
    public void AnAlteredTruncatedOrOverlongCursorDoesNotOpen()
    {
        var text = new KeysetCursor("products", "price-asc", 1499.5m, null, 9).Encode(Key);
        var altered = text.ToCharArray();
        altered[3] = altered[3] == 'A' ? 'B' : 'A';

        Assert.Equal(1499.5m, KeysetCursor.TryOpen(text, "products", "price-asc", Key)!.Value);
        Assert.Null(KeysetCursor.TryOpen(new string(altered), "products", "price-asc", Key));
        Assert.Null(KeysetCursor.TryOpen(text[..^4], "products", "price-asc", Key));
        Assert.Null(KeysetCursor.TryOpen(new string('A', KeysetCursor.MaxLength + 1), "products", "price-asc", Key));
        Assert.Null(KeysetCursor.TryOpen("not a cursor!", "products", "price-asc", Key));
    }

    [Fact]
    public void ASignedBodyThatIsNotACursorDoesNotOpen()
    {
        // Signed with the right key (as an older cursor format was), but not this format's JSON.
        var legacy = SignedPayload.Seal(Encoding.UTF8.GetBytes("n|638000000000000000|42"), Key, 16);

        Assert.Null(KeysetCursor.TryOpen(legacy, "products", "newest", Key));
    }

    [Fact]
    public void ATimeOutsideTheCalendarIsNoTime()
    {
        Assert.Null(new KeysetCursor("products", "newest", null, long.MaxValue, 1).Time);
        Assert.Null(new KeysetCursor("products", "newest", null, -1, 1).Time);
    }
}
