using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Nexus.Shared.Webhooks;

/// <summary>Registers what the web app and the worker both need for webhooks, read from configuration.</summary>
public static class WebhookSetup
{
    public static IServiceCollection AddNexusWebhooks(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(SecretBox.FromSettings(
            config[SecretBox.ConfigKey] ?? config[SecretBox.LegacyConfigKey],
            config[SecretBox.PreviousKeysConfigKey] ?? config[SecretBox.LegacyPreviousKeysConfigKey]));
        services.AddSingleton(SsrfGuard.FromSettings(config[SsrfGuard.AllowedNetworksKey], config.GetValue<bool>(SsrfGuard.AllowHttpKey)));
        var schedule = config[RetrySchedule.ConfigKey];
        services.AddSingleton(string.IsNullOrWhiteSpace(schedule)
            ? RetrySchedule.Default
            : RetrySchedule.FromSeconds(schedule.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)));
        services.AddSingleton(new EventRetentionPolicy(EventRetention.From(config)));
        services.AddSingleton<DeliveryModeColumn>();
        return services;
    }
}
