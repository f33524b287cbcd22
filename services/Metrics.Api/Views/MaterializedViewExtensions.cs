namespace Metrics.Api.Views;

public static class MaterializedViewExtensions
{
    public static IHostApplicationBuilder AddMaterializedViewRefresh(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MaterializedViewOptions>()
            .BindConfiguration(MaterializedViewOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MaterializedViewStatus>();
        builder.Services.AddSingleton<MaterializedViewRefresher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MaterializedViewRefresher>());
        return builder;
    }
}
