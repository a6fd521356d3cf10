// dashboard-latency.mjs - GET /api/v1/dashboard on a served demo county,
// one request at a time as a leader's screen asks for it, against a limit
// (docs/benchmarks.md, "驾驶舱").  Exits 1 when p95 is over the limit.
//
//   WENMING_URL=http://127.0.0.1:PORT WENMING_DEMO_PASSWORD=... \
//     node bench/dashboard-latency.mjs [requests=60] [limit_ms=300]
import { login } from '../tests/api/harness.mjs'

const base = process.env.WENMING_URL
const password = process.env.WENMING_DEMO_PASSWORD
if (!base || !password) throw new Error('set WENMING_URL and WENMING_DEMO_PASSWORD')
const n = Number(process.argv[2] || 60)
const limit = Number(process.argv[3] || 300)

const leader = await login(base, 'leader01', password)
const times = []
for (let i = 0; i < n + 3; i++) {
  const t0 = process.hrtime.bigint()
  const r = await leader.api('/api/v1/dashboard')
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (r.status !== 200) throw new Error(`GET /dashboard ${r.status}: ${r.text}`)
  if (i >= 3) times.push(ms) // the first ones warm the caches
}
times.sort((a, b) => a - b)
const pick = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]
const line = `GET /api/v1/dashboard x${n}: p50 ${pick(0.5).toFixed(1)} ms, p95 ${pick(0.95).toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms (limit p95 < ${limit} ms)`
console.log(line)
process.exit(pick(0.95) < limit ? 0 : 1)
