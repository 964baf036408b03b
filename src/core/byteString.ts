/**
 * A header value is a byte string: fetch, Headers and XHR throw on a character above U+00FF. An id goes out
 * as its UTF-8 bytes, as a browser's EventSource sends `Last-Event-ID` (a server reads them back as UTF-8).
 */
export const byteString = (text: string) =>
  Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join('')
