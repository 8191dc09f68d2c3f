using Npgsql;

namespace Nexus.Web.Infrastructure.Health;

public static class HealthEndpoints
{
    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: and it can reach its database.</summary>
    public static WebApplication MapNexusHealth(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" })).ExcludeFromDescription();
        app.MapGet("/readyz", async (NpgsqlDataSource db, CancellationToken ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                await using var cmd = db.CreateCommand("select 1");
                await cmd.ExecuteScalarAsync(timeout.Token);
                return Results.Json(new { status = "ready", database = "ok" });
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return Results.Json(new { status = "unavailable", database = "unreachable" }, statusCode: 503);
            }
        }).ExcludeFromDescription();
        return app;
    }
}
