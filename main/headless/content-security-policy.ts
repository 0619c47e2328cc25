/**
 * The console's Content Security Policy, sent with the page by the browser host and by Electron's
 * app:// handler (renderer/index.html carries the same policy in a meta tag for the dev server).
 * No 'unsafe-inline' anywhere: scripts and style sheets come only from the bundle. React's `style`
 * props are applied through the CSSOM (element.style), which CSP does not restrict, so no
 * style-src-attr exception is needed.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
