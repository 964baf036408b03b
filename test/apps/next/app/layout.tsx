import type { ReactNode } from 'react'
import { EventSourceDevtools } from 'use-event-source/devtools'

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        {/* A server layout renders the client component; in a production build it renders nothing. */}
        <EventSourceDevtools />
      </body>
    </html>
  )
}
