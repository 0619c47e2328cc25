// First: zod must be configured before any schema module is evaluated.
import './zod-without-eval.ts'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { api } from './api/desktop-api.ts'
import { App } from './app.tsx'
import { connectEvents, createAppStore, StoreProvider } from './store/app-store.ts'
import './styles.css'

const store = createAppStore(api)
connectEvents(store, api)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
)
