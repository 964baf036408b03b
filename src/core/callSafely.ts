/** A user's function that throws must not stop the stream or the other hooks: it is rethrown as an uncaught error, out of the way. */
export function callSafely(call: () => void): void {
  try {
    call()
  } catch (error) {
    setTimeout(() => {
      throw error
    })
  }
}
