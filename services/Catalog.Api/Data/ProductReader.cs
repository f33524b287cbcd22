using Catalog.Api.Model;
using Npgsql;

namespace Catalog.Api.Data;

/// <summary>Maps rows by ordinal: the column lists below are the contract, checked by the catalog tests.</summary>
internal static class ProductReader
{
    public const string CardColumns = "p.id, p.business_id, p.category_id, p.name, p.slug, p.price, p.status, p.featured, p.created_at, p.stock > 0";

    public const string DetailColumns =
        "p.id, p.business_id, p.category_id, p.name, p.slug, p.description, p.price, p.currency, p.stock, p.status, p.featured, p.version, p.created_at, p.updated_at";

    public static ProductCard Card(NpgsqlDataReader r, int offset = 0) => new(
        r.GetInt64(offset),
        r.GetInt64(offset + 1),
        r.GetInt32(offset + 2),
        r.GetString(offset + 3),
        r.GetString(offset + 4),
        r.GetDecimal(offset + 5),
        r.GetString(offset + 6),
        r.GetBoolean(offset + 7),
        r.GetFieldValue<DateTimeOffset>(offset + 8),
        r.GetBoolean(offset + 9));

    public static ProductDetail Detail(NpgsqlDataReader r, IReadOnlyList<ProductImage> images) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        r.GetInt32(2),
        r.GetString(3),
        r.GetString(4),
        r.GetString(5),
        r.GetDecimal(6),
        r.GetString(7).Trim(),
        r.GetInt32(8),
        r.GetString(9),
        r.GetBoolean(10),
        r.GetInt64(11),
        r.GetFieldValue<DateTimeOffset>(12),
        r.GetFieldValue<DateTimeOffset>(13),
        images);

    public static ProductImage Image(NpgsqlDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetInt16(2),
        r.IsDBNull(3) ? null : r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetInt32(4),
        r.GetString(5))
    {
        Placeholder = r.FieldCount > 6 && !r.IsDBNull(6) ? r.GetString(6) : null,
    };
}
