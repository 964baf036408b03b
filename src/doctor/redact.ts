/**
 * What may be printed of the request. Header values (--header) are secrets; so may be the url's query (EventSource
 * cannot send headers, so tokens often ride there): its values are shown as `…`.
 */
export function displayUrl(url: URL): string {
  const shown = new URL(url.origin + url.pathname)
  for (const key of url.searchParams.keys()) shown.searchParams.append(key, '…')
  return decodeURI(shown.href)
}

/** Replaces every secret (header values, query values, as they are and url-encoded) in a text with `***`, longest first. */
export function createRedactor(url: URL, headers: Record<string, string>): (text: string) => string {
  const secrets = [...Object.values(headers), ...url.searchParams.values(), url.search.slice(1)]
    .flatMap((secret) => [secret, encodeURIComponent(secret)])
    .filter((secret) => secret.length >= 3)
    .sort((a, b) => b.length - a.length)
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('***'), text)
}
