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
