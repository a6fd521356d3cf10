// Names for controls a component library renders without one (WCAG 4.1.2):
// v-input-label="'拍照'" sets aria-label on every <input> and slider handle
// inside the element that has no name, now and after each update (Vant's
// uploader input, Vant's slider button with role="slider", ...).
function name(el, text) {
  for (const input of el.querySelectorAll('input, [role=slider]')) {
    if (!input.getAttribute('aria-label') && text) input.setAttribute('aria-label', text)
  }
}

export const vInputLabel = {
  mounted: (el, binding) => name(el, binding.value),
  updated: (el, binding) => name(el, binding.value),
}

// v-stepper-label="'数量'" names a Vant stepper: its number input and its
// minus and plus buttons, which Vant renders as empty buttons.
function nameStepper(el, text) {
  if (!text) return
  name(el, text)
  const set = (sel, label) => {
    const b = el.querySelector(sel)
    if (b && !b.getAttribute('aria-label')) b.setAttribute('aria-label', label)
  }
  set('.van-stepper__minus', `${text}减一`)
  set('.van-stepper__plus', `${text}加一`)
}

export const vStepperLabel = {
  mounted: (el, binding) => nameStepper(el, binding.value),
  updated: (el, binding) => nameStepper(el, binding.value),
}

// Element Plus's image viewer (el-image's preview, teleported to <body>)
// draws the photo without alt text and its controls as bare icons. Once, for
// the whole app: the photo gets a name, each control the role of a button, a
// name, a tab stop and Enter/Space, so the viewer works without a mouse too.
const VIEWER_CONTROLS = [
  ['.el-image-viewer__close', 'close'],
  ['.el-image-viewer__prev', 'prev'],
  ['.el-image-viewer__next', 'next'],
]
// the toolbar's icons in the order Element Plus draws them
const VIEWER_ACTIONS = ['zoomOut', 'zoomIn', 'fit', 'anticlockwise', 'clockwise']

function asButton(el, label) {
  el.setAttribute('role', 'button')
  el.setAttribute('tabindex', '0')
  el.setAttribute('aria-label', label)
  el.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return
    // the viewer's own keys (Space toggles the size) listen on the document
    e.preventDefault()
    e.stopPropagation()
    el.click()
  })
}

function nameViewer(wrapper, t) {
  const img = wrapper.querySelector('img.el-image-viewer__img')
  if (img && !img.hasAttribute('alt')) img.setAttribute('alt', t('common.viewer.photo'))
  const controls = VIEWER_CONTROLS.map(([sel, key]) => [wrapper.querySelector(sel), key])
  wrapper.querySelectorAll('.el-image-viewer__actions__inner > .el-icon').forEach((el, i) => controls.push([el, VIEWER_ACTIONS[i]]))
  for (const [el, key] of controls) if (el && key && !el.hasAttribute('role')) asButton(el, t(`common.viewer.${key}`))
}

/** Name the image viewer's photo and controls whenever one opens (t: the app's translate). */
export function nameImageViewers(t) {
  new MutationObserver(() => {
    for (const w of document.querySelectorAll('.el-image-viewer__wrapper')) nameViewer(w, t)
  }).observe(document.body, { childList: true, subtree: true })
}
