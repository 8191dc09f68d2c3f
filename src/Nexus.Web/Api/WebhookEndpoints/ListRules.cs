using System.Linq.Expressions;
using FluentValidation;

namespace Nexus.Web.Api.WebhookEndpoints;

/// <summary>The <c>created_gte</c>/<c>created_lt</c> rules every webhook, event and delivery list shares (the audit log's, reused).</summary>
public static class ListRules
{
    public static void CreatedRange<T>(this AbstractValidator<T> v, Expression<Func<T, string?>> gte, Expression<Func<T, string?>> lt)
    {
        v.RuleFor(gte).Must(t => t is null || ApiQuery.TryParseTime(t, out _))
            .WithMessage("created_gte must be an ISO 8601 time, like 2026-11-22T10:00:00Z");
        v.RuleFor(lt).Must(t => t is null || ApiQuery.TryParseTime(t, out _))
            .WithMessage("created_lt must be an ISO 8601 time, like 2026-11-22T10:00:00Z");
        var from = gte.Compile();
        var to = lt.Compile();
        v.RuleFor(lt).Must((x, _) => !ApiQuery.TryParseTime(from(x), out var a) || !ApiQuery.TryParseTime(to(x), out var b) || a < b)
            .WithMessage("created_lt must be later than created_gte");
    }
}
