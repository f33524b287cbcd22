using System.Buffers.Text;
using System.Text;

namespace Hive.ServiceDefaults.Tests;

/// <summary>Cursors handed to clients must come back exactly as sealed, or not open at all.</summary>
public sealed class SignedPayloadTests
{
    private const int MacLength = 16;
    private const int MaxLength = 512;
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a key of thirty-two bytes, fine!");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"after":"2026-11-26","id":42}""");

    [Fact]
    public void ASealedTokenOpensToItsBody()
    {
        var token = SignedPayload.Seal(Body, Key, MacLength);

        Assert.Equal(Body, SignedPayload.TryOpen(token, Key, MacLength, MaxLength));
    }

    [Fact]
    public void ATokenIsUrlSafeAndCarriesTheBodyAndTheMac()
    {
        var token = SignedPayload.Seal(Body, Key, MacLength);

        Assert.True(Base64Url.IsValid(token));
        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
        Assert.DoesNotContain('=', token);
        Assert.Equal(Body.Length + MacLength, Base64Url.DecodeFromChars(token).Length);
    }

    [Fact]
    public void ATokenWithAnyByteChangedDoesNotOpen()
    {
        var raw = Base64Url.DecodeFromChars(SignedPayload.Seal(Body, Key, MacLength));
        for (var i = 0; i < raw.Length; i++)
        {
            var forged = (byte[])raw.Clone();
            forged[i] ^= 0x01;

            Assert.Null(SignedPayload.TryOpen(Base64Url.EncodeToString(forged), Key, MacLength, MaxLength));
        }
    }

    [Fact]
    public void ATokenSealedWithAnotherKeyDoesNotOpen()
    {
        var token = SignedPayload.Seal(Body, Encoding.UTF8.GetBytes("another key of thirty-two bytes!"), MacLength);

        Assert.Null(SignedPayload.TryOpen(token, Key, MacLength, MaxLength));
    }

    [Fact]
    public void ATruncatedTokenDoesNotOpen()
    {
        var raw = Base64Url.DecodeFromChars(SignedPayload.Seal(Body, Key, MacLength));

        Assert.Null(SignedPayload.TryOpen(Base64Url.EncodeToString(raw.AsSpan(0, raw.Length - 1)), Key, MacLength, MaxLength));
        Assert.Null(SignedPayload.TryOpen(Base64Url.EncodeToString(raw.AsSpan(1)), Key, MacLength, MaxLength));
    }

    [Fact]
    public void AMacWithoutBodyDoesNotOpen()
    {
        // An empty body sealed is just its MAC; a token no longer than the MAC carries no cursor.
        var token = SignedPayload.Seal([], Key, MacLength);

        Assert.Null(SignedPayload.TryOpen(token, Key, MacLength, MaxLength));
    }

    [Fact]
    public void AOneByteBodyOpens()
    {
        var token = SignedPayload.Seal([42], Key, MacLength);

        Assert.Equal([42], SignedPayload.TryOpen(token, Key, MacLength, MaxLength));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64url!")]
    [InlineData("abc+/def")]
    public void TextThatIsNoTokenDoesNotOpen(string text)
        => Assert.Null(SignedPayload.TryOpen(text, Key, MacLength, MaxLength));

    [Fact]
    public void ATokenLongerThanTheLimitIsRefusedEvenWhenGenuine()
    {
        var token = SignedPayload.Seal(Body, Key, MacLength);

        Assert.Null(SignedPayload.TryOpen(token, Key, MacLength, token.Length - 1));
        Assert.NotNull(SignedPayload.TryOpen(token, Key, MacLength, token.Length));
    }

    [Fact]
    public void ANullTokenIsAProgrammingError()
        => Assert.Throws<ArgumentNullException>(() => SignedPayload.TryOpen(null!, Key, MacLength, MaxLength));
}
