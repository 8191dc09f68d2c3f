namespace Nexus.Web.Api.Notes;

public static class NoteLimits
{
    public const int TitleMax = 200;
    public const int BodyMax = 50_000;
    public const int TagsMax = 20;
    public const int TagMax = 40;
    public const int PageMax = 100;
    public const int PageDefault = 20;
}
