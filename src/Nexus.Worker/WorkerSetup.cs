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
            // A job run every interval, first this long after start-up (staggered, so the
            // housekeeping jobs do not all reach the database in the same minute).
            void Every<TJob>(JobKey key, TimeSpan interval, TimeSpan first) where TJob : IJob
            {
                q.AddJob<TJob>(j => j.WithIdentity(key));
                q.AddTrigger(t => t.ForJob(key).StartAt(DateTimeOffset.UtcNow + first)
                    .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
            }

            q.AddDeliveryJob(builder.Configuration);
            Every<HeartbeatJob>(HeartbeatJob.Key, Nexus.Shared.Workers.WorkerHeartbeat.Interval, TimeSpan.Zero);
            Every<UsageRollupJob>(UsageRollupJob.Key, UsageRollupJob.Interval, TimeSpan.Zero);
            Every<SecretResealJob>(SecretResealJob.Key, SecretResealJob.Interval, TimeSpan.Zero);
            Every<RequestLogRetentionJob>(RequestLogRetentionJob.Key, RequestLogRetentionJob.Interval, TimeSpan.FromMinutes(1));
            Every<RateCounterCleanupJob>(RateCounterCleanupJob.Key, RateCounterCleanupJob.Interval, TimeSpan.FromMinutes(2));
            Every<IdempotencyCleanupJob>(IdempotencyCleanupJob.Key, IdempotencyCleanupJob.Interval, TimeSpan.FromMinutes(3));
            Every<InvitationCleanupJob>(InvitationCleanupJob.Key, InvitationCleanupJob.Interval, TimeSpan.FromMinutes(4));
            Every<SessionCleanupJob>(SessionCleanupJob.Key, SessionCleanupJob.Interval, TimeSpan.FromMinutes(5));
            Every<UsageRetentionJob>(UsageRetentionJob.Key, UsageRetentionJob.Interval, TimeSpan.FromMinutes(6));
            // Does nothing unless Nexus:Webhooks:EventRetentionDays is set (AddNexusWebhooks refused any value nobody meant).
            Every<EventRetentionJob>(EventRetentionJob.Key, EventRetentionJob.Interval, TimeSpan.FromMinutes(7));
            Every<DeliveryModeFillJob>(DeliveryModeFillJob.Key, DeliveryModeFillJob.Interval, TimeSpan.Zero);
        });
        // On SIGTERM, let running jobs finish before the process exits.
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        return builder;
    }
}
