using Nexus.Bench.Receiver;

// The delivery benchmark's two ends that are not Nexus (bench/deliveries.sh):
//   receive --port P        a Kestrel receiver on 127.0.0.1:P that answers every POST with 200 at
//                           once; GET /count says how many POSTs it has had (duplicates show there)
//   ceiling --url U [--concurrency 64] [--seconds 10] [--warmup 3] [--bytes 400]
//                           a plain loop of HttpClient POSTs of that many bytes against U, that many
//                           in flight; prints CEILING_RPS=… and CEILING_ERRORS=…
return args.FirstOrDefault() switch
{
    "receive" => await Receiver.RunAsync(Options.Int(args, "--port", 0)),
    "ceiling" => await CeilingLoop.RunAsync(Options.String(args, "--url"), Options.Int(args, "--concurrency", 64),
        Options.Int(args, "--seconds", 10), Options.Int(args, "--warmup", 3), Options.Int(args, "--bytes", 400)),
    _ => Options.Fail("usage: Nexus.Bench.Receiver receive --port P | ceiling --url U [--concurrency C] [--seconds S] [--warmup W] [--bytes B]"),
};
