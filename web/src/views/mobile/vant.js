// Shared set-up of the phone pages (/m/...): Vant's stylesheet is loaded here,
// by the mobile pages only, so the desktop bundle never carries it; plus the
// little helpers every phone page uses.
//
// The stylesheet is inlined rather than linked because its icon font names a
// second source on at.alicdn.com, which the server's CSP (font-src 'self'
// data:) blocks with a console error; the embedded woff2 is all a browser
// needs, so that source is cut before the styles go in, ahead of the page's
// own styles so those still win.
import vantCss from 'vant/lib/index.css?inline'
import './mobile.css'
import { showFailToast } from 'vant'

if (typeof document !== 'undefined' && !document.getElementById('vant-style')) {
  const el = document.createElement('style')
  el.id = 'vant-style'
  el.textContent = vantCss.replace(/,\s*url\(["']?(?:https?:)?\/\/[^)]*\)\s*format\(["']?woff["']?\)/g, '')
  document.head.insertBefore(el, document.head.firstChild)
}

/** Show an API failure as a toast unless the session handlers already did. */
export function toastError(err) {
  if (!err || err === 'cancel' || err === 'close' || err.handled) return
  if (err.code === 'aborted') return
  showFailToast({ message: err.message || String(err), wordBreak: 'break-word' })
}

const pad = (n) => String(n).padStart(2, '0')
/** A deadline (ms) as MM-DD HH:mm in China time. */
export function shortTime(ms) {
  if (!ms) return ''
  const d = new Date(Number(ms) + 8 * 3600 * 1000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}
