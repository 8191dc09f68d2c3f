using Weasel.Postgresql.Tables;

namespace Nexus.Shared.Store;

/// <summary>
/// The index an org's list pages walk: (org_id, mode, the list's order). Every list is one org's
/// documents in one mode, newest first, so a page reads its own rows and stops, however many the
/// org keeps and in whichever mode. With org_id alone, a page either read and sorted all the org's
/// rows or walked the primary key skipping everyone else's; the sandbox list of an org with heavy
/// live traffic skipped every live row (118 ms for 300,000 events, growing with the org).
/// It replaces the org_id column's own index, so writes pay for no more indexes than before.
/// <para>
/// Where the mode lives only in the JSON, the index reads the JSON, and PostgreSQL then never
/// updates such a row heap-only (every update writes the row's index entries again). That suits
/// documents written once (events, audit entries, request logs) and customers (rarely updated).
/// Notes keep the mode in a column, and so do webhook deliveries, whose row every delivery attempt
/// updates twice; their column was added to existing tables without a rewrite (DeliveryModeColumn).
/// </para>
/// </summary>
public static class ListIndex
{
    /// <summary>The mode as Marten's LINQ reads it from a document that keeps it only in its JSON (an enum stored as its name).</summary>
    public const string ModeInDocument = "(data ->> 'Mode')";

    /// <summary>
    /// Widens the org_id column's own index: Weasel writes the mask with "?" replaced by the column.
    /// Marten offers no other way to make a duplicated field's index composite without a second
    /// index beside it. Weasel compares the expression as PostgreSQL prints it back, so start-up
    /// leaves the index alone once it exists.
    /// </summary>
    public static void Configure(IndexDefinition index, string table, string mode, string order)
    {
        index.Name = Name(table, order);
        index.Mask = $"?, {mode}, {order}";
    }

    /// <summary>The name of <paramref name="table"/>'s list index, for what tunes or checks it.</summary>
    public static string Name(string table, string order) => $"{table}_idx_org_id_mode_{order}";
}
