using Npgsql;

namespace Nexus.Shared.Store;

public static class PostgresErrors
{
    /// <summary>True when a unique index refused a write (Marten wraps the PostgreSQL error, so look through inner exceptions).</summary>
    public static bool IsUniqueViolation(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }) return true;
        return false;
    }
}
