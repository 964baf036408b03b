import { StrictMode } from 'react'
import { createRoot, hydrateRoot } from 'react-dom/client'
import { EventSourceDevtools } from 'use-event-source/devtools'
import { App, PostApp } from './Stream'

const root = document.getElementById('root') as HTMLElement
// The plain page hydrates the prerendered HTML; `?post=1` is a different tree, so it renders from scratch.
if (new URLSearchParams(location.search).has('post')) createRoot(root).render(<PostApp />)
else
  hydrateRoot(
    root,
    <StrictMode>
      <App />
      <EventSourceDevtools />
    </StrictMode>,
  )
