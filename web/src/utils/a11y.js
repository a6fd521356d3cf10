// Names for controls a component library renders without one (WCAG 4.1.2):
// v-input-label="'拍照'" sets aria-label on every <input> inside the element
// that has no name, now and after each update (Vant's uploader input, ...).
function name(el, text) {
  for (const input of el.querySelectorAll('input')) {
    if (!input.getAttribute('aria-label') && text) input.setAttribute('aria-label', text)
  }
}

export const vInputLabel = {
  mounted: (el, binding) => name(el, binding.value),
  updated: (el, binding) => name(el, binding.value),
}
