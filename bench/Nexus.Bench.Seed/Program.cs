using System.Text.RegularExpressions;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Notes;
using Nexus.Bench.Seed;
using Nexus.Shared.Store;
using Nexus.Shared.Webhooks;
using Npgsql;

// Seeds what `make bench` drives: a Pro org with an owner, one live secret key (made the way the
// product makes keys: only its hash stored) and one note, in a schema of the benchmark's own,
// emptied first. Reads the same settings the web app reads, so both agree on the pepper:
//   ConnectionStrings__Nexus, Nexus__Schema, Nexus__KeyPepper
// `seed` prints NAME=value lines for bench/run.sh; the key's plaintext appears only there.
// `drop` removes the schema afterwards.
// The delivery benchmark (bench/deliveries.sh) uses two more, in a schema of its own:
//   deliveries COUNT ENDPOINTS RECEIVER_URL [append]
//                                            pending deliveries to endpoints at the receiver (also
//                                            reads Nexus__SecretKey); with `append`, a second
//                                            org's, added to what is there instead of a fresh schema
//   checkpoint                               flushes what earlier work (a test run) left dirty, so the
//                                            database's next checkpoint does not land in a measurement
//   settle                                   vacuums and analyses the schema's tables, then checkpoints:
//                                            what one phase of the bench left to the database is done
//                                            before the next phase is measured (VacuumAsync)
//   watch RECEIVER_URL RECEIVED_BEFORE PID TOTAL STALL_SECONDS FROM
//                                            times worker PID draining them, from FROM already
//                                            succeeded, following the receiver's count from
//                                            RECEIVED_BEFORE, read before the seed (see DeliveryBench)

var command = args.FirstOrDefault();
if (command is not ("seed" or "drop" or "deliveries" or "watch" or "checkpoint" or "settle")) return Fail("usage: Nexus.Bench.Seed seed|drop|deliveries|watch|checkpoint|settle");

var connectionString = Setting("ConnectionStrings__Nexus");
var schema = Setting("Nexus__Schema");
// Both commands drop the schema: never let a typo point them at real data.
if (!Regex.IsMatch(schema, "^bench[a-z0-9_]{0,40}$"))
    return Fail($"Nexus__Schema must be 'bench' or start with 'bench_' (got '{schema}'): the seed drops it first.");

await using var db = NpgsqlDataSource.Create(connectionString);
if (command is "checkpoint" or "settle")
{
    if (command == "settle") await VacuumAsync(db, schema);
    try
    {
        await using var checkpoint = db.CreateCommand("checkpoint");
        checkpoint.CommandTimeout = 600;
        await checkpoint.ExecuteNonQueryAsync();
    }
    catch (PostgresException e)
    {
        // A database the bench does not own may not grant CHECKPOINT: measure anyway, and say so.
        Console.Error.WriteLine($"bench: could not run CHECKPOINT ({e.MessageText}); a checkpoint may land in the measurement");
    }
    return 0;
}
if (command == "watch")
    return await DeliveryBench.WatchAsync(db, $"{schema}.mt_doc_webhookdelivery", args[1], long.Parse(args[2]), int.Parse(args[3]),
        int.Parse(args[4]), int.Parse(args[5]), int.Parse(args[6]));
var append = command == "deliveries" && args.ElementAtOrDefault(4) == "append";
if (!append)
    await using (var drop = db.CreateCommand($"drop schema if exists {schema} cascade"))
        await drop.ExecuteNonQueryAsync();
if (command == "drop") return 0;

using var store = DocumentStore.For(opts =>
{
    opts.Connection(connectionString);
    NexusStore.Configure(opts, schema);
});
await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
IReadOnlyStoreOptions mapping = store.Options;
if (command == "seed") await GrownTablesAsync(db, [mapping.Schema.For<Note>(), mapping.Schema.For<WebhookEvent>()]);
if (command == "deliveries")
{
    await DeliveryBench.SeedAsync(store, new SecretBox(Setting("Nexus__SecretKey")), int.Parse(args[1]), int.Parse(args[2]), args[3]);
    return 0;
}

var clock = TimeProvider.System;
var now = clock.GetUtcNow();
var org = new Organization { Id = Ids.New("org"), Name = "Bench", Plan = Plan.Pro, CreatedAt = now };
var owner = new User
{
    Id = Ids.New("user"), Email = "bench@example.test", PasswordHash = "-",
    SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = now,
};
var membership = new Membership { Id = Ids.New("mem"), OrgId = org.Id, UserId = owner.Id, Role = Role.Owner, CreatedAt = now };
var issued = KeyIssuer.Issue(new KeyHasher(Setting("Nexus__KeyPepper")), clock, org.Id, "bench", KeyKind.Secret, Mode.Live, owner.Id);
var note = new Note
{
    Id = Ids.New("note"), OrgId = org.Id, Mode = Mode.Live, Title = "Benchmark note",
    Body = "A note of ordinary size, read over and over by the benchmark.", CreatedAt = now, UpdatedAt = now,
};

await using (var session = store.LightweightSession())
{
    session.Store(org);
    session.Store(owner);
    session.Store(membership);
    session.Store(issued.Key);
    session.Store(note);
    await session.SaveChangesAsync();
}

await using (var version = db.CreateCommand("show server_version"))
    Console.WriteLine($"BENCH_PG_VERSION={await version.ExecuteScalarAsync()}");
Console.WriteLine($"BENCH_ORG_ID={org.Id}");
Console.WriteLine($"BENCH_NOTE_ID={note.Id}");
Console.WriteLine($"BENCH_KEY={issued.Plaintext}");
return 0;

static string Setting(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"Set {name}.");

static int Fail(string message)
{
    Console.Error.WriteLine($"Nexus.Bench.Seed: {message}");
    return 2;
}

// Each of the schema's tables vacuumed and analysed, one at a time. The tables of a bench schema are
// young, so autovacuum's thresholds (a fifth of a table's rows inserted, a tenth for ANALYZE) come
// round every minute or so while the bench inserts; its ANALYZE of a jsonb column keeps a core busy
// for about a quarter of a second, and whichever slice it lands in gets a tail the other variant's
// slices do not (seen as POST's p99 of 70–100 ms in one variant's slices, on 2026-11-24). A vacuum
// before each phase does the work the previous phase left and starts the thresholds from zero.
static async Task VacuumAsync(NpgsqlDataSource db, string schema)
{
    try
    {
        var tables = new List<string>();
        await using (var list = db.CreateCommand("select format('%I.%I', schemaname, relname) from pg_stat_user_tables where schemaname = $1"))
        {
            list.Parameters.AddWithValue(schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        foreach (var table in tables)
        {
            await using var vacuum = db.CreateCommand($"vacuum (analyze) {table}");
            vacuum.CommandTimeout = 600;
            await vacuum.ExecuteNonQueryAsync();
        }
    }
    catch (PostgresException e)
    {
        Console.Error.WriteLine($"bench: could not vacuum the bench tables ({e.MessageText}); autovacuum may land in the measurement");
    }
}

// The note and event tables, which both variants of POST write, given the autovacuum thresholds a
// server's tables of a million rows have (a tenth of them for ANALYZE, a fifth for VACUUM). A bench
// schema's tables are young: at their size autovacuum's defaults come round every minute or so while
// POST inserts, and a pass's ANALYZE of the jsonb column (a quarter of a second of a core) made the
// tail of whichever variant's slice it fell in, either way (POST's added p99 from -11.5 to +8.8 ms
// over four runs on 2026-11-24). The request-log and rate-limit tables keep the defaults: only the
// full pipeline writes them, so their passes are the pipeline's own cost and stay in its figures.
// The tables are named by the store's own mapping, as the product's SQL names them.
static async Task GrownTablesAsync(NpgsqlDataSource db, IEnumerable<string> tables)
{
    foreach (var table in tables)
    {
        await using var alter = db.CreateCommand(
            $"alter table {table} set (autovacuum_analyze_threshold = 100000, " +
            "autovacuum_vacuum_threshold = 200000, autovacuum_vacuum_insert_threshold = 200000)");
        await alter.ExecuteNonQueryAsync();
    }
}
