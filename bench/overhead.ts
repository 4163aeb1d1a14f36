/**
 * `node --import tsx bench/overhead.ts`: the JavaScript work of each RS256, ES256 and EdDSA verifier, with the key
 * operation taken out. An RSA, ECDSA or Ed25519 verify costs 30 to 140 µs, so in `npm run bench` every contender
 * that makes the same node:crypto call lands within the machine's noise of the others; here `crypto.verify` and
 * `crypto.createVerify` answer "valid" at once (patched before any contender is loaded, for the libraries that
 * destructure node:crypto when they load), and what is left is each library's own per-token work: split, header,
 * base64url, JSON, claims. jose is left out: WebCrypto is not patched. Times to the nearest 0.1 µs are meaningful
 * here, where they are not in the full runs. Prints a table; writes nothing.
 */
import crypto, { generateKeyPairSync } from 'node:crypto'
import { syncBuiltinESMExports } from 'node:module'

// Before anything imports a contender: fast-jwt takes `createVerify` and `verify` out of node:crypto on load.
const patched = crypto as unknown as Record<string, unknown>
patched.verify = () => true
patched.createVerify = () => ({
  update() {
    return this
  },
  verify: () => true,
})
syncBuiltinESMExports()
// A key pair made here proves generateKeyPairSync is untouched by the patch.
generateKeyPairSync('ed25519')

const { ASYM_ALGS, asymKeys, payloadOfSize } = await import('./fixtures.js')
const { makeAsymVerifiers, ASYM_OURS_V } = await import('./asym.js')
const { runScenarios } = await import('./timing.js')
const { createSigner } = await import('../src/index.js')
type Scenario = import('./timing.js').Scenario

let sink: unknown
const scenarios: Scenario[] = []
const payload = payloadOfSize(100, Math.floor(Date.now() / 1000))
for (const alg of ASYM_ALGS) {
  const keys = asymKeys(alg)
  const token = Buffer.from(createSigner(keys.privateKey, { algorithm: alg })(payload), 'latin1').toString('latin1')
  const verifiers = (await makeAsymVerifiers(keys)).filter((v) => !v.async)
  for (const v of verifiers) {
    if (JSON.stringify(v.verify(token)) !== JSON.stringify(payload)) throw new Error(`${v.name} read other claims`)
  }
  scenarios.push({
    group: 'overhead',
    name: `${alg} verify, key operation stubbed, 100 B payload`,
    ref: ASYM_OURS_V,
    contenders: verifiers.map((v) => ({
      name: v.name,
      fn: () => {
        sink = v.verify(token)
      },
    })),
  })
}
const rounds = 7
console.log(`timing ${scenarios.length} scenarios, ${rounds} rounds, Node ${process.version}`)
const results = await runScenarios(scenarios, { rounds, cpuTimeNs: 60e6 }, (r) => process.stderr.write(`round ${r}\r`))
process.stderr.write('\n')
for (const r of results) {
  console.log(`\n${r.name}  (ratio = median of per-round ratios to ${r.ref})`)
  for (const row of r.rows) {
    console.log(`  ${row.name.padEnd(38)} ${(row.medianNs / 1000).toFixed(2).padStart(7)} µs  ${row.ratio.toFixed(2)}x`)
  }
}
if (typeof sink === 'symbol') console.log(sink)
