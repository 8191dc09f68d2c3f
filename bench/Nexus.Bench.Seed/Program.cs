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
//   watch RECEIVER_URL RECEIVED_BEFORE PID TOTAL STALL_SECONDS FROM
//                                            times worker PID draining them, from FROM already
//                                            succeeded, following the receiver's count from
//                                            RECEIVED_BEFORE, read before the seed (see DeliveryBench)

var command = args.FirstOrDefault();
if (command is not ("seed" or "drop" or "deliveries" or "watch" or "checkpoint")) return Fail("usage: Nexus.Bench.Seed seed|drop|deliveries|watch|checkpoint");

var connectionString = Setting("ConnectionStrings__Nexus");
var schema = Setting("Nexus__Schema");
// Both commands drop the schema: never let a typo point them at real data.
if (!Regex.IsMatch(schema, "^bench[a-z0-9_]{0,40}$"))
    return Fail($"Nexus__Schema must be 'bench' or start with 'bench_' (got '{schema}'): the seed drops it first.");

await using var db = NpgsqlDataSource.Create(connectionString);
if (command == "checkpoint")
{
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
