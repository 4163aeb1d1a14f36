/** The help texts. Each command's usage line is also printed after a usage error (exit status 2). */

export type CommandName = 'sign' | 'verify' | 'decode' | 'secret'

export const USAGE: Readonly<Record<CommandName, string>> = {
  sign: 'jwt sign [claims-json | -] [--exp DURATION] [--iss ISSUER] [--aud AUDIENCE]... [options]',
  verify: 'jwt verify [token | -] [--iss ISSUER]... [--aud AUDIENCE]... [--alg ALG]... [options]',
  decode: 'jwt decode [token | -] [--json]',
  secret: 'jwt secret [--alg HS256|HS384|HS512] [--json]',
}

const SECRET_HELP = `Secret:
  The secret comes from --secret-file PATH or, without it, the JWT_SECRET environment variable. There is no
  --secret option: an argument is visible to every user in the process list and stays in shell history.
  --secret-file PATH      read the secret from a file (one trailing newline is ignored); <(command) works
  --secret-encoding ENC   utf8 (default: the text as is, as sign(payload, process.env.JWT_SECRET) uses it),
                          base64url (decoded to bytes, strictly) or hex`

export const MAIN_HELP = `jwt: sign, verify and decode JSON Web Tokens (HS256, HS384, HS512) from a terminal

Usage:
  jwt sign [claims-json] [options]   sign claims and print the token
  jwt verify [token] [options]       check a token and print its claims
  jwt decode [token]                 show a token's header, payload and times, NOT verified
  jwt secret [--alg ALG]             print a new random secret
  jwt help [command]                 help for a command (or: jwt <command> --help)
  jwt --version

A claims or token argument that is "-" or left out is read from standard input (when it is not a terminal).
The secret comes from --secret-file PATH or the JWT_SECRET environment variable, never from an argument.
Every command takes --json (one JSON object on standard output) and --help.
Colour is used only on a terminal, and never when NO_COLOR is set.

Exit status: 0 success, 1 failure (an invalid token, a bad secret; the error code and reason on one line),
2 bad arguments (with the usage line).
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
  --kid KEY-ID            sets the "kid" header parameter
  --alg ALG               HS256 (default), HS384 or HS512
  --no-iat                do not add "iat"
  --json                  print {"token", "header", "payload"}
  -h, --help              this help

${SECRET_HELP}

Examples:
  export JWT_SECRET="$(jwt secret)"
  jwt sign '{"sub":"42","role":"admin"}' --exp 24h --iss auth.example.com
  echo '{"sub":"42"}' | jwt sign --exp 15m --secret-file ./jwt.key
`,
  verify: `Usage: ${USAGE.verify}

Verifies a token: algorithm, signature, then exp, nbf and the claims you require. Prints the claims and exits 0
when the token is valid; prints the error code and a one-line reason on standard error and exits 1 when not.
The token comes from the argument, or from standard input when the argument is "-" or left out.

Options:
  --alg ALG               an accepted algorithm; repeat for several (default: HS256 only)
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

Prints a new random secret as long as the algorithm's hash (32 bytes for HS256, 48 for HS384, 64 for HS512,
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
`,
}
