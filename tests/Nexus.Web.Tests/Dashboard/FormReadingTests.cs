using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Nexus.Web.Infrastructure.Http;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard;

/// <summary>
/// A dashboard form that cannot be read, over real Kestrel (whose body limit the in-memory server does
/// not have): each was a 500 from the form reader, before any endpoint ran.
/// </summary>
public sealed class FormReadingTests(NexusApp<FormReadingTests> app) : IClassFixture<NexusApp<FormReadingTests>>
{
    private HttpClient Client() => new() { BaseAddress = app.StartKestrel() };

    [Fact]
    public async Task A_form_over_the_servers_1_mb_is_413_with_the_pages_message()
    {
        using var client = Client();

        var response = await client.PostAsync("/login", new FormUrlEncodedContent([new("email", "a@example.com"), new("password", new string('x', 2 * 1024 * 1024))]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(NulCharacterGuard.FormRefused, Assert.Single(response.Headers.GetValues(NulCharacterGuard.MessageHeader)));
    }

    [Fact]
    public async Task A_multipart_form_cut_off_before_its_end_is_400()
    {
        using var client = Client();
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@example.com"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        var response = await client.PostAsync("/login", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
