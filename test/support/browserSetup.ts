import { configure } from '@testing-library/react'

// The browser tests wait on a real server and a real browser, on machines that run other tests alongside
// (several Chromium pages at once in test/crossTab): waitFor gives them up to 5 s, not 1 s.
configure({ asyncUtilTimeout: 5000 })
