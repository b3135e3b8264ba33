// Load generator for the HTTP benchmarks, in its own process: a fixed number
// of keep-alive connections, each sending the next request as soon as the
// previous answer is read (closed loop), for a bounded duration, or for a
// fixed number of requests (the instruction-count benchmarks, whose server
// runs under valgrind at an unknown speed). Prints {requests, errors, seconds}.
//
//   node http-load.mjs <port> <durationMs> [concurrency=8] [totalRequests=0 (no limit)]
import http from 'node:http';

const [port, durationMs, concurrencyArg, totalArg] = process.argv.slice(2).map(Number);
const total = totalArg || Infinity;
const concurrency = concurrencyArg || 8;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const paths = ['/items/1', '/items/22/detail', '/users/7/orders?page=2', '/health'];
let requests = 0;
let errors = 0;
let sent = 0;

function once(path) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) requests++;
        else errors++;
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
  });
}

const t0 = performance.now();
const end = t0 + durationMs;
async function connection() {
  while (performance.now() < end && sent < total) await once(paths[sent++ & 3]);
}
await Promise.all(Array.from({ length: concurrency }, () => connection()));
const seconds = (performance.now() - t0) / 1000;
agent.destroy();
process.stdout.write(JSON.stringify({ requests, errors, seconds }) + '\n');
