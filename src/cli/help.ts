/** The help texts. Each command's usage line is also printed after a usage error (exit status 2). */

export type CommandName = 'sign' | 'verify' | 'decode' | 'secret' | 'keygen' | 'jwk'

/** The command names in the order the help lists them. */
export const COMMAND_NAMES: readonly CommandName[] = ['sign', 'verify', 'decode', 'secret', 'keygen', 'jwk']

export const USAGE: Readonly<Record<CommandName, string>> = {
  sign: 'jwt sign [claims-json | -] [--exp DURATION] [--iss ISSUER] [--aud AUDIENCE]... [options]',
  verify: 'jwt verify [token | -] [--iss ISSUER]... [--aud AUDIENCE]... [--alg ALG]... [options]',
  decode: 'jwt decode [token | -] [--json]',
  secret: 'jwt secret [--alg HS256|HS384|HS512] [--json]',
  keygen: 'jwt keygen --alg ALG (--out PREFIX | --stdout) [--jwk] [--json]',
  jwk: 'jwt jwk KEY-FILE [--json]',
}

const SECRET_HELP = `Key or secret:
  A key pair's key comes from --key-file PATH; an HMAC secret from --secret-file PATH or, without either, the
  JWT_SECRET environment variable. There is no --secret or --key option, and a PEM or JWK given as an argument
  is refused: an argument is visible to every user in the process list and stays in shell history.
  --key-file PATH         a PEM key (PKCS#8, SPKI, PKCS#1, SEC1; a certificate to verify) or a JWK (JSON) file,
                          for any algorithm; <(command) works. The algorithm defaults to the key's own.
  --secret-file PATH      read the HMAC secret from a file (one trailing newline is ignored); <(command) works
  --secret-encoding ENC   utf8 (default: the text as is, as sign(payload, process.env.JWT_SECRET) uses it),
                          base64url (decoded to bytes, strictly) or hex`

export const MAIN_HELP = `jwt: sign, verify and decode JSON Web Tokens (HMAC, RSA, RSA-PSS, ECDSA, EdDSA) from a terminal

Usage:
  jwt sign [claims-json] [options]   sign claims and print the token
  jwt verify [token] [options]       check a token and print its claims
  jwt decode [token]                 show a token's header, payload and times, NOT verified
  jwt secret [--alg ALG]             print a new random HMAC secret
  jwt keygen --alg ALG --out PREFIX  make a key pair: PREFIX.key (private, mode 0600) and PREFIX.pub
  jwt jwk KEY-FILE                   print a key's public JWK and its RFC 7638 thumbprint
  jwt help [command]                 help for a command (or: jwt <command> --help)
  jwt --version

A claims or token argument that is "-" or left out is read from standard input (when it is not a terminal).
A key comes from --key-file PATH; a secret from --secret-file PATH or the JWT_SECRET environment variable;
never from an argument.
Every command takes --json (one JSON object on standard output) and --help.
Colour is used only on a terminal, and never when NO_COLOR is set.

Exit status: 0 success, 1 failure (an invalid token, a bad key or secret, a file that exists; the error code
and reason on one line), 2 bad arguments (with the usage line).
`

export const HELP: Readonly<Record<CommandName, string>> = {
  sign: `Usage: ${USAGE.sign}

Signs a JSON object of claims and prints the token. The claims come from the argument, or from standard input
when the argument is "-" or left out; with neither, the token holds only "iat" and the claims the options set.
"iat" is added unless --no-iat. In a script whose standard input stays open, pass the claims ('{}' for none).

Options:
  --exp DURATION          sets "exp" to now + DURATION: 30s, 15m, 24h, 7d, 2w (a unit is required;
                          --exp=-1h makes an already expired token for tests)
  --nbf DURATION          sets "nbf" to now + DURATION
  --iss ISSUER            sets "iss"
  --sub SUBJECT           sets "sub"
  --aud AUDIENCE          sets "aud"; repeat it for several audiences
  --jti ID                sets "jti"
  --kid KEY-ID            sets the "kid" header parameter (default: the "kid" of a JWK key file)
  --alg ALG               HS256 (default with a secret), HS384, HS512; with --key-file RS256, RS384, RS512,
                          PS256, PS384, PS512, ES256, ES384, ES512, EdDSA or Ed25519 (default: the key's own:
                          RS256 for RSA, ES256/384/512 by curve, EdDSA for Ed25519, a JWK's "alg")
  --no-iat                do not add "iat"
  --json                  print {"token", "header", "payload"}
  -h, --help              this help

${SECRET_HELP}

Examples:
  export JWT_SECRET="$(jwt secret)"
  jwt sign '{"sub":"42","role":"admin"}' --exp 24h --iss auth.example.com
  echo '{"sub":"42"}' | jwt sign --exp 15m --secret-file ./jwt.key
  jwt sign '{"sub":"42"}' --exp 1h --key-file signing.key          # ES256 with a key from jwt keygen
`,
  verify: `Usage: ${USAGE.verify}

Verifies a token: algorithm, signature, then exp, nbf and the claims you require. Prints the claims and exits 0
when the token is valid; prints the error code and a one-line reason on standard error and exits 1 when not.
The token comes from the argument, or from standard input when the argument is "-" or left out.

Options:
  --alg ALG               an accepted algorithm; repeat for several (default: HS256 only with a secret; the
                          key's own with --key-file, such as RS256 for RSA or ES256 for a P-256 key).
                          For verify, --key-file may also be a JWK Set ({"keys": [...]})
  --iss ISSUER            require "iss" to be ISSUER; repeat to accept several
  --aud AUDIENCE          require "aud" to contain AUDIENCE; repeat to accept several
  --sub SUBJECT           require "sub" to be SUBJECT
  --jti ID                require "jti" to be ID
  --require CLAIM         require CLAIM to be present; repeatable
  --leeway DURATION       clock tolerance for exp, nbf and iat, such as 30s (default 0)
  --max-age DURATION      refuse tokens whose "iat" is older than DURATION (makes "iat" required)
  --json                  print {"valid": true, "header", "payload"}, or {"valid": false, "error": {...}}
  -h, --help              this help

${SECRET_HELP}

Examples:
  jwt verify "$TOKEN" --iss auth.example.com --aud api
  pbpaste | jwt verify --secret-file ./jwt.key --leeway 30s --json
  jwt verify "$TOKEN" --key-file signing.pub --iss auth.example.com
  jwt verify "$TOKEN" --key-file jwks.json          # a JWK Set: the token's "kid" picks the key
`,
  decode: `Usage: ${USAGE.decode}

Shows a token's header and payload, and its times (iat, nbf, exp) as ISO dates with a note such as
"expires in 23h 59m" or "expired 2 days ago". Nothing is verified: no secret is needed, and the output is
marked NOT VERIFIED. Use it to debug a token instead of pasting it into a web page; use verify to trust one.
The token comes from the argument, or from standard input when the argument is "-" or left out.

Options:
  --json                  print {"verified": false, "header", "payload", "signature", "times"}
  -h, --help              this help

Examples:
  jwt decode "$TOKEN"
  echo "$TOKEN" | jwt decode --json | jq .payload.sub
`,
  secret: `Usage: ${USAGE.secret}

Prints a new random HMAC secret as long as the algorithm's hash (32 bytes for HS256, 48 for HS384, 64 for HS512,
RFC 7518 §3.2), in base64url.

The printed text is long enough either way you use it: as it is (a server calling
sign(payload, process.env.JWT_SECRET), and jwt sign/verify with the default --secret-encoding utf8), or
decoded to the random bytes (a server calling base64url.decode on it, and jwt with --secret-encoding base64url).
Whichever you choose, the server and the command line must use the same one.

Options:
  --alg ALG               HS256 (default), HS384 or HS512
  --json                  print {"alg", "bytes", "encoding": "base64url", "secret"}
  -h, --help              this help

Examples:
  (umask 077 && jwt secret --alg HS512 > jwt.key)
  jwt sign '{"sub":"42"}' --alg HS512 --secret-file jwt.key --secret-encoding base64url

For RS*, PS*, ES* and EdDSA, make a key pair with jwt keygen instead.
`,
  keygen: `Usage: ${USAGE.keygen}

Makes a new key pair for an asymmetric algorithm (RSA keys are 2048 bits) and prints its "kid", the key's
RFC 7638 thumbprint. HMAC algorithms have no key pair: use jwt secret.

  --out PREFIX   writes PREFIX.key, the private key (PKCS#8 PEM), and PREFIX.pub, the public key (SPKI PEM).
                 The private file is created with mode 0600 (only you can read it) from its first byte, and
                 neither file may exist already: keygen never replaces a file (exit status 1).
  --stdout       prints the private key instead, for a pipe into a secret store. Without --out or --stdout
                 keygen refuses (exit status 2): a private key is not printed unless you ask for it.

Options:
  --alg ALG               RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA or Ed25519
                          (required)
  --out PREFIX            write PREFIX.key and PREFIX.pub (with --jwk: PREFIX.key.json and PREFIX.pub.json)
  --stdout                print the private key (PEM, or with --jwk its JWK)
  --jwk                   JWKs instead of PEM, each with "kid", "use": "sig" and "alg"
  --json                  print {"alg", "kid", "format", "privateKeyFile", "publicKeyFile"}; with --stdout
                          {"alg", "kid", "format", "privateKey", "publicKey"} (both halves)
  -h, --help              this help

A PEM key says nothing about its algorithm: sign and verify take the key's default (RS256 for RSA, ES256 for
P-256...) unless --alg says otherwise. A JWK carries its "alg", and its "kid" goes in the tokens it signs.

Examples:
  jwt keygen --alg ES256 --out signing
  jwt sign '{"sub":"42"}' --exp 1h --key-file signing.key
  jwt verify "$TOKEN" --key-file signing.pub
  jwt keygen --alg EdDSA --jwk --out keys/ed       # keys/ed.key.json and keys/ed.pub.json
  jwt keygen --alg RS256 --stdout | vault kv put secret/jwt key=-
`,
  jwk: `Usage: ${USAGE.jwk}

Prints the public JWK of a key file (PEM or JWK, private or public: only the public members are printed, never
"d" or the other private ones) with "kid" set to its RFC 7638 SHA-256 thumbprint, and the thumbprint on
standard error. Standard output is the JWK alone, so jwt jwk signing.pub > signing.jwk saves it.

Options:
  --json                  print {"jwk", "thumbprint"}
  -h, --help              this help

Examples:
  jwt jwk signing.pub
  jwt jwk signing.key --json | jq '{keys: [.jwk]}' > jwks.json       # a JWK Set for verifiers
`,
}
