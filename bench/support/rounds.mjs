// Interleaved rounds: every variant runs once per round, in a start order
// rotated each round, so slow drifts of a shared machine (another tenant, CPU
// frequency, thermal) land on all variants alike and per-round ratios cancel them.

/**
 * Runs `run(variant, round)` for every variant in every round and returns
 * { [variant.name]: [result of round 0, round 1, ...] }.
 */
export async function runRounds({ rounds, variants, run, label = '' }) {
  const results = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    const shift = round % variants.length;
    const order = [...variants.slice(shift), ...variants.slice(0, shift)];
    for (const v of order) results[v.name][round] = await run(v, round);
    process.stderr.write(`${label}round ${round + 1}/${rounds} done\n`);
  }
  return results;
}

/** Command-line flags shared by the benchmarks: --quick and --rounds=N. */
export function benchArgs(argv = process.argv.slice(2)) {
  const quick = argv.includes('--quick');
  const rounds = Number(argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 0) || undefined;
  return { quick, rounds };
}
