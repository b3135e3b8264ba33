// Load generator of bench/idle-instructions.mjs, in its own (unmeasured)
// process: a FIXED number of requests over keep-alive connections, closed loop
// (each connection sends its next request when the answer arrived), so the
// server's instruction count depends on the requests, not on how slow it runs.
// Prints {requests, errors, seconds}.
//
//   node http-load-count.mjs <port> <requests> [concurrency=8]
import http from 'node:http';

const [port, total, concurrencyArg] = process.argv.slice(2).map(Number);
const concurrency = concurrencyArg || 8;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const paths = ['/items/1', '/items/22/detail', '/users/7/orders?page=2', '/health'];
let sent = 0;
let requests = 0;
let errors = 0;

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
async function connection() {
  while (sent < total) await once(paths[sent++ & 3]);
}
await Promise.all(Array.from({ length: concurrency }, () => connection()));
const seconds = (performance.now() - t0) / 1000;
agent.destroy();
process.stdout.write(JSON.stringify({ requests, errors, seconds }) + '\n');
