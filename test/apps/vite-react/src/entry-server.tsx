import { StrictMode } from 'react'
import { renderToString } from 'react-dom/server'
import { EventSourceDevtools } from 'use-event-source/devtools'
import { App } from './Stream'

export const render = () =>
  renderToString(
    <StrictMode>
      <App />
      <EventSourceDevtools />
    </StrictMode>,
  )
