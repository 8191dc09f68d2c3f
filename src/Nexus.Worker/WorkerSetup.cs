using Nexus.Shared.Webhooks;
using Nexus.Shared.Store;
using Nexus.Worker.Delivery;
using Nexus.Worker.Heartbeat;
using Nexus.Worker.Housekeeping;
using Nexus.Worker.Usage;
using Quartz;

namespace Nexus.Worker;

public static class WorkerSetup
{
    public static HostApplicationBuilder AddNexusWorker(this HostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Nexus")
            ?? throw new InvalidOperationException("Set ConnectionStrings:Nexus (env ConnectionStrings__Nexus); `make run` does this for you.");
        // The worker's writes (claims, delivery results, housekeeping) commit without waiting for the WAL
        // flush. A database crash can then forget its last moment of results, and those deliveries go out
        // again with the same webhook-id: the at-least-once promise allows that, and it never loses an
        // event, because events are written by the web app, which commits synchronously.
        // The worker runs the same few statements (claim, record) thousands of times a second: prepared
        // once per connection, they skip PostgreSQL's parse and plan on every round trip. Left to choose,
        // PostgreSQL planned the claim afresh on every execution (pg_stat_statements: as many plans as calls;
        // its generic plan looks dearer on paper because of the LIMIT parameters, yet it is the same plan).
        // Connections go back to the pool without Npgsql's reset (NexusStore sets NoResetOnClose for every
        // process): the reset cost seven statements (RESET ALL, UNLISTEN *, …) on every claim and every batch
        // of results, a tenth of PostgreSQL's CPU per delivery (cpu-per-delivery.sh).
        connectionString = new Npgsql.NpgsqlConnectionStringBuilder(connectionString)
        {
            Options = "-c synchronous_commit=off -c plan_cache_mode=force_generic_plan",
            MaxAutoPrepare = 32,
        }.ConnectionString;
        builder.Services.AddNexusStore(connectionString, builder.Configuration["Nexus:Schema"] ?? NexusStore.DefaultSchema);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WorkerIdentity>();
        builder.Services.AddNexusWebhooks(builder.Configuration);
        builder.Services.AddSingleton<Nexus.Shared.RateLimits.RateCounterDatabase>();
        builder.Services.AddSingleton<Nexus.Shared.Idempotency.IdempotencyStore>();
        builder.Services.AddNexusDelivery(builder.Configuration);

        builder.Services.AddQuartz(q =>
        {
            q.AddDeliveryJob(builder.Configuration);
            q.AddJob<HeartbeatJob>(j => j.WithIdentity(HeartbeatJob.Key));
            q.AddTrigger(t => t.ForJob(HeartbeatJob.Key).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(Nexus.Shared.Workers.WorkerHeartbeat.Interval).RepeatForever()));
            q.AddJob<UsageRollupJob>(j => j.WithIdentity(UsageRollupJob.Key));
            q.AddTrigger(t => t.ForJob(UsageRollupJob.Key).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(UsageRollupJob.Interval).RepeatForever()));
            q.AddJob<RateCounterCleanupJob>(j => j.WithIdentity(RateCounterCleanupJob.Key));
            q.AddTrigger(t => t.ForJob(RateCounterCleanupJob.Key).StartAt(DateTimeOffset.UtcNow.AddMinutes(2))
                .WithSimpleSchedule(s => s.WithInterval(RateCounterCleanupJob.Interval).RepeatForever()));
            q.AddJob<IdempotencyCleanupJob>(j => j.WithIdentity(IdempotencyCleanupJob.Key));
            q.AddTrigger(t => t.ForJob(IdempotencyCleanupJob.Key).StartAt(DateTimeOffset.UtcNow.AddMinutes(3))
                .WithSimpleSchedule(s => s.WithInterval(IdempotencyCleanupJob.Interval).RepeatForever()));
            q.AddJob<InvitationCleanupJob>(j => j.WithIdentity(InvitationCleanupJob.Key));
            q.AddTrigger(t => t.ForJob(InvitationCleanupJob.Key).StartAt(DateTimeOffset.UtcNow.AddMinutes(4))
                .WithSimpleSchedule(s => s.WithInterval(InvitationCleanupJob.Interval).RepeatForever()));
            q.AddJob<SessionCleanupJob>(j => j.WithIdentity(SessionCleanupJob.Key));
            q.AddTrigger(t => t.ForJob(SessionCleanupJob.Key).StartAt(DateTimeOffset.UtcNow.AddMinutes(5))
                .WithSimpleSchedule(s => s.WithInterval(SessionCleanupJob.Interval).RepeatForever()));
            q.AddJob<SecretResealJob>(j => j.WithIdentity(SecretResealJob.Key));
            q.AddTrigger(t => t.ForJob(SecretResealJob.Key).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(SecretResealJob.Interval).RepeatForever()));
            q.AddJob<RequestLogRetentionJob>(j => j.WithIdentity(RequestLogRetentionJob.Key));
            q.AddTrigger(t => t.ForJob(RequestLogRetentionJob.Key).StartAt(DateTimeOffset.UtcNow.AddMinutes(1))
                .WithSimpleSchedule(s => s.WithInterval(RequestLogRetentionJob.Interval).RepeatForever()));
            q.AddJob<UsageRetentionJob>(j => j.WithIdentity(UsageRetentionJob.Key));
            q.AddTrigger(t => t.ForJob(UsageRetentionJob.Key).StartAt(DateTimeOffset.UtcNow.AddMinutes(6))
                .WithSimpleSchedule(s => s.WithInterval(UsageRetentionJob.Interval).RepeatForever()));
            // Scheduled only when a retention is set (AddNexusWebhooks has refused any value nobody meant).
            if (EventRetention.From(builder.Configuration) is not null)
            {
                q.AddJob<EventRetentionJob>(j => j.WithIdentity(EventRetentionJob.Key));
                q.AddTrigger(t => t.ForJob(EventRetentionJob.Key).StartAt(DateTimeOffset.UtcNow.AddMinutes(7))
                    .WithSimpleSchedule(s => s.WithInterval(EventRetentionJob.Interval).RepeatForever()));
            }
        });
        // On SIGTERM, let running jobs finish before the process exits.
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        return builder;
    }
}
