import { protocol } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../headless/content-security-policy.ts'
import { readStatic } from '../headless/static-files.ts'

/**
 * The renderer is served from app://console/, not file://: a page on file:// may read any file
 * the user can (and every file:// URL is one origin), while app:// answers only with the built
 * renderer's own files, with the CSP as a header. Electron's checklist item "use a custom protocol".
 */
export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://console`
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`

/** Before `ready`: app:// behaves like https (standard, secure, fetch), so the page gets a real origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

/** After `ready`: answers app://console/<path> from the built renderer, nothing else. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url)
    const file = url.host === 'console' && request.method === 'GET' ? readStatic(rendererDir, url.pathname) : null
    if (!file) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
    return new Response(new Uint8Array(file.body), {
      headers: { 'content-type': file.type, 'x-content-type-options': 'nosniff', ...(file.html ? { 'content-security-policy': CONTENT_SECURITY_POLICY } : {}) },
    })
  })
}
