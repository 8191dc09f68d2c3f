using Nexus.Web.Infrastructure.Docs;
using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.RequestLogs.Get;

public sealed class Endpoint(IQuerySession session) : EndpointWithoutRequest<RequestLogView>
{
    public override void Configure()
    {
        Get("/request-logs/{id}");
        Scopes(KeyScopes.ReadLogs);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Retrieve a request log";
            s.Description = "The log of one request, by the request id from its `X-Request-Id` header or an error's `request_id`. Another org's or mode's request is 404.";
            s.Params["id"] = "The request id (req_…).";
            s.ResponseExamples[200] = RequestLogView.Example;
        });
        Description(b => b.WithTags(ApiTags.RequestLogs).ClearDefaultAccepts().Produces<RequestLogView>().Produces<ApiErrorResponse>(404).Produces<ApiErrorResponse>(401));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var log = await ApiObjects.LoadAsync<RequestLog>(session, HttpContext.Caller(), Route<string>("id") ?? "", "req", ct);
        await Send.OkAsync(RequestLogView.From(log), ct);
    }
}
