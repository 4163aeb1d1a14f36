/**
 * Reading secret and key files with a size limit, and creating key files that never replace an existing file and
 * are never readable by others, not even for a moment.
 */
import { type FileHandle, open, unlink } from 'node:fs/promises'
import { CliFailure } from './io.js'

/** A secret or key file larger than this is not one (and /dev/zero must not fill memory). */
export const FILE_LIMIT = 64 * 1024

/** The `code` of a Node error (`ENOENT`, `EACCES`...), never its message, which names the path and more. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : 'error'
}

/**
 * Reads at most {@link FILE_LIMIT} bytes of a file (or of `/dev/stdin`, a `<(command)` pipe...), failing with
 * `code` and messages that say what the file was for (`what`: "the secret file", "the key file").
 */
export async function readLimited(path: string, what: string, code: string): Promise<Buffer> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw new CliFailure(code, `cannot open ${what} (${errorCode(error)})`)
  }
  try {
    const chunks: Buffer[] = []
    let size = 0
    for (;;) {
      const buffer = Buffer.alloc(16 * 1024)
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      size += bytesRead
      if (size > FILE_LIMIT) throw new CliFailure(code, `${what} is larger than 64 KiB`)
      chunks.push(buffer.subarray(0, bytesRead))
    }
    return Buffer.concat(chunks)
  } catch (error) {
    if (error instanceof CliFailure) throw error
    throw new CliFailure(code, `cannot read ${what} (${errorCode(error)})`)
  } finally {
    await handle.close()
  }
}

/** One file to create: its path, its text and the permission bits it is created with. */
export interface NewFile {
  path: string
  text: string
  mode: number
}

/**
 * Creates every file or none. Each is opened with `wx` (O_CREAT | O_EXCL: an existing file, or a symbolic link,
 * is never followed or replaced) and its mode given to open itself, so a private key is 0600 from its first byte
 * (the umask can only take bits away). All are opened before anything is written, and a failure removes the files
 * this call created. Fails with `ERR_CLI_OUTPUT`.
 */
export async function createNewFiles(files: readonly NewFile[]): Promise<void> {
  const opened: Array<{ file: NewFile; handle: FileHandle }> = []
  const removeCreated = async (): Promise<void> => {
    for (const { file, handle } of opened) {
      await handle.close().catch(() => undefined)
      await unlink(file.path).catch(() => undefined)
    }
  }
  for (const file of files) {
    try {
      opened.push({ file, handle: await open(file.path, 'wx', file.mode) })
    } catch (error) {
      await removeCreated()
      const reason = errorCode(error)
      throw new CliFailure(
        'ERR_CLI_OUTPUT',
        reason === 'EEXIST'
          ? `${file.path} already exists; keygen never replaces a file`
          : `cannot create ${file.path} (${reason})`,
      )
    }
  }
  for (const { file, handle } of opened) {
    try {
      await handle.writeFile(file.text, 'utf8')
      await handle.sync()
    } catch (error) {
      await removeCreated()
      throw new CliFailure('ERR_CLI_OUTPUT', `cannot write ${file.path} (${errorCode(error)})`)
    }
  }
  for (const { handle } of opened) await handle.close().catch(() => undefined)
}
