/**
 * Errors cross every boundary as data: Electron keeps only `message` of a thrown error, and the
 * browser host must never send a stack trace. `code` is stable for the UI and tests.
 */
export type IpcErrorCode =
  | 'invalid-request'
  | 'not-found'
  | 'conflict'
  | 'busy'
  | 'blocked'
  | 'forbidden'
  | 'connector'
  | 'unauthorized'
  | 'internal'

export interface IpcError {
  readonly code: IpcErrorCode
  readonly message: string
}

export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError }

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value }
}

export function fail<T = never>(code: IpcErrorCode, message: string): IpcResult<T> {
  return { ok: false, error: { code, message } }
}
