using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hive.Mobile.Connectivity;

namespace Hive.Mobile.Tests.Fleet;

/// <summary>SDK clients for the tests: each on its own data folder (or a shared one to play "the app restarted").</summary>
internal static class MobileClients
{
    public static string NewDataDirectory() => Directory.CreateTempSubdirectory("hive-mobile-test-").FullName;

    public static HiveClient Create(Uri gateway, string dataDirectory, INetworkMonitor? network = null, Action<HiveClientOptions>? configure = null)
    {
        var options = new HiveClientOptions
        {
            Gateway = gateway,
            DataDirectory = dataDirectory,
            Network = network ?? new ManualNetworkMonitor(NetworkQuality.Good),
            RetryBaseDelay = TimeSpan.FromMilliseconds(100),
            AttemptTimeout = TimeSpan.FromSeconds(20),
        };
        configure?.Invoke(options);
        return new HiveClient(options);
    }

    /// <summary>An active product with stock, and its business, read straight from the gateway.</summary>
    public static async Task<(long Id, long BusinessId, decimal Price)> ActiveProductAsync(HttpClient gateway, int skip)
    {
        var page = await gateway.GetFromJsonAsync<JsonElement>("/api/catalog/products?sort=newest&pageSize=50");
        var card = page.GetProperty("items").EnumerateArray().Skip(skip).First();
        var product = await gateway.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{card.GetProperty("id").GetInt64()}");
        return (product.GetProperty("id").GetInt64(), product.GetProperty("businessId").GetInt64(), product.GetProperty("price").GetDecimal());
    }

    public static async Task SetPriceAsync(HttpClient gateway, long productId, long businessId, decimal price)
    {
        // The business's demo seller signs in at the identity service (password grant: test fleets are never Production).
        var token = await Hive.Testing.PasswordGrant.TokenAsync(gateway, $"seller-{businessId}@hive.test", MobileFleetFixture.DemoPassword);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/catalog/products/{productId}") { Content = JsonContent.Create(new { price }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await gateway.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"price update answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
