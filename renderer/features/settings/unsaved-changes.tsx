import { useEffect } from 'react'
import { Dialog } from '../../components/dialog.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { routeToHash } from '../shell/use-hash-route.ts'

/**
 * Guards unsaved work on a page: while `reason` is set, moving to another page in the console asks
 * first (this dialog), and closing or reloading the window asks too (the browser's or Electron's
 * own prompt, from `beforeunload`).
 */
export function UnsavedChangesGuard({ reason }: { readonly reason: string | null }) {
  const setLeaveGuard = useAppStore((state) => state.setLeaveGuard)
  const pending = useAppStore((state) => state.pendingRoute)
  const resolve = useAppStore((state) => state.resolvePendingRoute)
  const route = useAppStore((state) => state.route)

  useEffect(() => {
    setLeaveGuard(reason)
    if (!reason) return undefined
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault()
      // Older engines show their prompt only when returnValue is set.
      event.returnValue = ''
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload)
      setLeaveGuard(null)
    }
  }, [reason, setLeaveGuard])

  if (!pending) return null
  const stay = () => {
    resolve(false)
    // Back/Forward already moved the address bar: put it back on this page.
    if (window.location.hash !== routeToHash(route)) window.history.replaceState(null, '', routeToHash(route))
  }
  return (
    <Dialog
      title="Leave without saving?"
      onClose={stay}
      footer={
        <>
          <button type="button" className="primary" data-autofocus onClick={stay}>
            Stay on this page
          </button>
          <button type="button" className="danger" onClick={() => resolve(true)}>
            Discard changes and leave
          </button>
        </>
      }
    >
      <p>{reason ?? 'This page has unsaved changes.'} Leaving now discards them.</p>
    </Dialog>
  )
}
