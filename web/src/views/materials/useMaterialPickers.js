// Frameworks, units and the materials standards of a framework, for the
// materials pages' search forms and dialogs.
import { ref } from 'vue'
import { allFrameworks, indicatorTree } from '@/api/inspection'
import { listUnits } from '@/api/units'
import { showError } from '@/utils/errors'

function standardsOf(nodes, out = []) {
  for (const n of nodes || []) {
    if (n.level === 3 && n.parts?.materials > 0) out.push(n)
    standardsOf(n.children, out)
  }
  return out
}

export function useMaterialPickers() {
  const frameworks = ref([])
  const units = ref([])
  const standards = ref([])

  async function loadFrameworks() {
    try {
      const [fw, un] = await Promise.all([allFrameworks(), listUnits({ size: 500 })])
      frameworks.value = fw?.items ?? []
      units.value = un?.items ?? []
    } catch (err) {
      showError(err)
    }
    return frameworks.value.find((f) => f.active)?.id ?? frameworks.value[0]?.id ?? null
  }

  async function loadStandards(frameworkId) {
    standards.value = []
    if (!frameworkId) return
    try {
      const tree = await indicatorTree(frameworkId)
      standards.value = standardsOf(tree?.items)
    } catch (err) {
      showError(err)
    }
  }

  const unitName = (id) => units.value.find((u) => u.id === id)?.name ?? ''
  return { frameworks, units, standards, loadFrameworks, loadStandards, unitName }
}
