import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** Resolves a URL path inside the built renderer; never outside it. Unknown paths get index.html (client routes). */
export function readStatic(root: string, urlPath: string): { body: Buffer; type: string; html: boolean } | null {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '')
  let file = join(root, relative)
  if (!file.startsWith(root + sep) && file !== root) return null
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html')
  if (!existsSync(file)) return null
  const type = TYPES[extname(file)] ?? 'application/octet-stream'
  return { body: readFileSync(file), type, html: type.startsWith('text/html') }
}
