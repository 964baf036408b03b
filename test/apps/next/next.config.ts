import type { NextConfig } from 'next'

// `next start` gzips text/event-stream otherwise, and gzip holds events back.
const config: NextConfig = { compress: false }
export default config
