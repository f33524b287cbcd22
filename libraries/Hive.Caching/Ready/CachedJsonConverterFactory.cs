using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hive.Caching;

/// <summary>
/// Stores a <see cref="CachedJson{T}"/> in Redis as <c>{"etag":"…","body":…}</c> with the body written
/// verbatim (raw JSON, not re-encoded), so the bytes another replica reads back are exactly those sent.
/// </summary>
internal sealed class CachedJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert)
        => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(CachedJson<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
        => (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<CachedJson<T>>
    {
        private const string ETagProperty = "etag";
        private const string BodyProperty = "body";

        public override void Write(Utf8JsonWriter writer, CachedJson<T> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString(ETagProperty, value.ETag);
            writer.WritePropertyName(BodyProperty);
            writer.WriteRawValue(value.Body, skipInputValidation: true);
            writer.WriteEndObject();
        }

        public override CachedJson<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"A cached answer is an object, found {reader.TokenType}.");
            }

            string? etag = null;
            byte[]? body = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == ETagProperty)
                {
                    etag = reader.GetString();
                }
                else if (name == BodyProperty)
                {
                    // The raw bytes of the value as stored, not a re-serialization of it.
                    var element = JsonElement.ParseValue(ref reader);
                    body = JsonMarshal.GetRawUtf8Value(element).ToArray();
                }
                else
                {
                    reader.Skip();
                }
            }

            if (etag is null || body is null)
            {
                throw new JsonException("A cached answer needs both its etag and its body.");
            }

            return CachedJson<T>.FromStored(body, etag);
        }
    }
}
