using Nexus.Web.Infrastructure.Docs;
using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Common;
using Nexus.Shared.Usage;

namespace Nexus.Web.Api.Usage.Get;

public sealed class Request
{
    /// <summary>The period to report: <c>24h</c> (hourly buckets), <c>7d</c> or <c>30d</c> (daily UTC buckets, today included). Default <c>7d</c>.</summary>
    [QueryParam]
    [QueryValues(typeof(Nexus.Shared.Usage.UsagePeriods), nameof(Nexus.Shared.Usage.UsagePeriods.Names))]
    public string? Period { get; init; }

    /// <summary>Only this key's usage (a key id of the caller's org and mode; another key id gives empty figures).</summary>
    [QueryParam, BindFrom("key_id")]
    public string? KeyId { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Period).Must(p => p is null || UsagePeriods.TryParse(p, out _))
                .WithMessage($"period must be one of {string.Join(", ", UsagePeriods.Names)}");
            RuleFor(x => x.KeyId).Must(k => k is null || Ids.IsWellFormed(k, "key")).WithMessage("key_id must be a key id");
        }
    }
}
