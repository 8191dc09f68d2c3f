using Nexus.Shared.Common;
using System.Net.Mail;
using FluentValidation;
using Marten;
using Nexus.Shared.Customers;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Api.Customers;

/// <summary>What the customer routes share: limits, lookup and field rules.</summary>
public static class CustomerApi
{
    public const string Tag = "Customers";
    public const int NameMax = 256;
    public const int EmailMax = 254;
    public const int MetadataKeysMax = 50;
    public const int MetadataKeyMax = 40;
    public const int MetadataValueMax = 500;
    public const int PageDefault = 10;

    /// <summary>Loads a customer the caller may see, or answers 404 (see <see cref="ApiObjects"/>).</summary>
    public static Task<Customer> LoadAsync(IQuerySession session, ApiCaller caller, string id, CancellationToken ct) =>
        ApiObjects.LoadAsync<Customer>(session, caller, id, Customer.IdPrefix, ct);

    /// <summary>A plain address (<c>name@example.com</c>): no display name, no spaces, a dot in the domain.</summary>
    public static bool IsEmail(string email) =>
        email.Length <= EmailMax
        && MailAddress.TryCreate(email, out var parsed)
        && parsed.Address == email
        && !email.Any(char.IsWhiteSpace)
        && parsed.Host.Contains('.') && !parsed.Host.EndsWith('.');

    public static IRuleBuilderOptions<T, string?> CustomerName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(n => n is null || n.Length <= NameMax).WithMessage($"name must be at most {NameMax} characters")
            .Must(OneLine.Allows).WithMessage(OneLine.ParameterProblem("name"));

    public static IRuleBuilderOptions<T, string?> CustomerEmail<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(e => e is null || e.Length == 0 || IsEmail(e)).WithMessage("email must be a valid email address, e.g. jenny@example.com");

    /// <summary>
    /// Up to 50 keys of up to 40 characters, values up to 500. On update an empty value deletes its
    /// key, so the count is checked after merging (see <see cref="Merge"/>).
    /// </summary>
    public static IRuleBuilderOptions<T, Dictionary<string, string?>?> CustomerMetadata<T>(this IRuleBuilder<T, Dictionary<string, string?>?> rule) =>
        rule.Must(m => m is null || m.Count <= MetadataKeysMax).WithMessage($"metadata may have at most {MetadataKeysMax} keys")
            .Must(m => m is null || m.Keys.All(k => k.Length is > 0 and <= MetadataKeyMax)).WithMessage($"metadata keys must be 1–{MetadataKeyMax} characters")
            .Must(m => m is null || m.Keys.All(OneLine.Allows)).WithMessage(OneLine.ParameterProblem("metadata keys"))
            .Must(m => m is null || m.Values.All(v => v is null || v.Length <= MetadataValueMax)).WithMessage($"metadata values must be at most {MetadataValueMax} characters");

    /// <summary>Stripe's rule: given keys are set, keys given an empty or null value are removed, others are kept.</summary>
    public static Dictionary<string, string> Merge(Dictionary<string, string> current, Dictionary<string, string?>? changes)
    {
        var merged = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (key, value) in changes ?? [])
        {
            if (string.IsNullOrEmpty(value)) merged.Remove(key);
            else merged[key] = value;
        }
        return merged;
    }
}
