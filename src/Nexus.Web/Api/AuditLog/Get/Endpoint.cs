using FastEndpoints;
using Marten;
using Nexus.Shared.Audit;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.AuditLog.Get;

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, AuditEntryObject>
{
    public override void Configure()
    {
        Get("/audit-log/{id}");
        Scopes(KeyScopes.AdminAll);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Retrieve an audit entry";
            s.Description = "Another org's entry is 404 like one that does not exist; for an entry of the other mode, the 404's message says it is there.";
            s.ResponseExamples[200] = AuditEntryObject.Example;
        });
        Description(b => b.WithTags(AuditLogApi.Tag).ClearDefaultAccepts().Produces<AuditEntryObject>()
            .Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var entry = await ApiObjects.LoadAsync<AuditEntry>(session, HttpContext.Caller(), req.Id, AuditLogApi.IdPrefix, ct);
        await Send.OkAsync(AuditEntryObject.From(entry), ct);
    }
}
