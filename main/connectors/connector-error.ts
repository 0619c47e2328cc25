/**
 * A failure a connector reports in plain language. `code` is stable (for tests and the UI),
 * `message` is what an administrator reads, and never contains a secret.
 */
export type ConnectorErrorCode =
  | 'dns'
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'certificate'
  | 'credentials'
  | 'permission'
  | 'not-found'
  | 'incomplete-read'
  | 'malformed-data'
  | 'throttled'
  | 'protocol'
  | 'cancelled'
  | 'config'

export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode
  readonly retryable: boolean
  /** The directory refused the cursor this read was given (an expired delta link): the engine must not offer it again. */
  readonly cursorRejected: boolean

  constructor(code: ConnectorErrorCode, message: string, options?: { retryable?: boolean; cause?: unknown; cursorRejected?: boolean }) {
    super(message, { cause: options?.cause })
    this.name = 'ConnectorError'
    this.code = code
    this.retryable = options?.retryable ?? false
    this.cursorRejected = options?.cursorRejected ?? false
  }
}
