import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'

/** Bytes read per chunk (Default: 256 KiB): large enough to keep per-chunk overhead negligible. */
const CHUNK_BYTES = 256 * 1024

/**
 * Streams a text file as arrays of physical lines (one array per chunk, so a 100k-user file costs
 * a few hundred awaits, not millions). Handles LF and CRLF line ends, a UTF-8 BOM, and UTF-16 LE
 * with a BOM (what `ldifde -u` writes). Never holds more than one chunk plus one partial line.
 */
export async function* readLineChunks(path: string): AsyncGenerator<readonly string[], void, void> {
  const encoding = await detectEncoding(path)
  const stream = createReadStream(path, { encoding, highWaterMark: CHUNK_BYTES })
  let rest = ''
  let first = true
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let text = rest + chunk
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
        first = false
      }
      const lines = text.split('\n')
      rest = lines.pop() ?? ''
      yield text.includes('\r') ? lines.map(stripCarriageReturn) : lines
    }
    if (rest !== '') yield [stripCarriageReturn(rest)]
  } finally {
    stream.destroy()
  }
}

/** Splits text already in memory the same way as readLineChunks (for tests and small inputs). */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const lines = body.split('\n').map(stripCarriageReturn)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

function stripCarriageReturn(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line
}

async function detectEncoding(path: string): Promise<'utf8' | 'utf16le'> {
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(2)
    const { bytesRead } = await handle.read(head, 0, 2, 0)
    return bytesRead === 2 && head[0] === 0xff && head[1] === 0xfe ? 'utf16le' : 'utf8'
  } finally {
    await handle.close()
  }
}
