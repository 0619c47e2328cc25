import { useEffect } from 'react'
import { useAppStore } from '../../store/app-store.ts'

/** Success notes fade after 6 s; errors stay until dismissed (the admin must be able to read them). */
const SUCCESS_MS = 6000

export function Notices() {
  const notices = useAppStore((state) => state.notices)
  const dismiss = useAppStore((state) => state.dismissNotice)

  useEffect(() => {
    const timers = notices.filter((notice) => notice.kind !== 'error').map((notice) => setTimeout(() => dismiss(notice.id), SUCCESS_MS))
    return () => timers.forEach(clearTimeout)
  }, [notices, dismiss])

  return (
    <div className="notices" aria-live="polite" aria-relevant="additions">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.message}</span>
          <button type="button" className="link-button" onClick={() => dismiss(notice.id)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ))}
    </div>
  )
}
