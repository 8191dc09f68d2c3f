using Quartz;

namespace Nexus.Worker.Delivery;

/// <summary>Wires webhook delivery into the worker: options, the hardened sender, the engine, its tick and its wake-up.</summary>
public static class DeliverySetup
{
    public static IServiceCollection AddNexusDelivery(this IServiceCollection services, IConfiguration config)
    {
        var options = new DeliveryOptions();
        config.GetSection(DeliveryOptions.Section).Bind(options);
        options.DisableAfterDeadLetters = config.GetValue(DeliveryOptions.DisableAfterDeadLettersKey, options.DisableAfterDeadLetters);
        if (options.Problem() is { } problem) throw new InvalidOperationException($"{DeliveryOptions.Section}: {problem}");

        services.AddSingleton(options);
        services.AddSingleton<DeliveryQueue>();
        services.AddSingleton<DeliveryRecorder>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<DeliveryAttempter>();
        services.AddSingleton<EndpointHealth>();
        services.AddSingleton<DeliveryEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryEngine>());
        services.AddHostedService<DeliveryWakeListener>();
        return services;
    }

    /// <summary>The tick that claims retries and deliveries of dead workers when no notification came.</summary>
    public static void AddDeliveryJob(this IQuartzBuilder q, IConfiguration config)
    {
        var seconds = config.GetValue($"{DeliveryOptions.Section}:PollSeconds", 1.0);
        q.AddJob<DeliverDueWebhooksJob>(j => j.WithIdentity(DeliverDueWebhooksJob.Key));
        q.AddTrigger(t => t.ForJob(DeliverDueWebhooksJob.Key).StartNow()
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(seconds)).RepeatForever()));
    }
}
