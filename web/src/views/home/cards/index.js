// The home page's cards by the key GET /home gives them (src/home/api_home.c).
// Adding a card: a builder on the server and one component here.
// wide: the card takes a whole row on the desk.
import OfficeQueueCard from './OfficeQueueCard.vue'
import TodayCard from './TodayCard.vue'
import OverdueUnitsCard from './OverdueUnitsCard.vue'
import UnitWorkCard from './UnitWorkCard.vue'
import UnitRatesCard from './UnitRatesCard.vue'
import InspectorRoundsCard from './InspectorRoundsCard.vue'
import PredictionCard from './PredictionCard.vue'
import WorkCard from './WorkCard.vue'

export const CARDS = {
  office_queue: { component: OfficeQueueCard, wide: true },
  today: { component: TodayCard },
  overdue_units: { component: OverdueUnitsCard },
  unit_work: { component: UnitWorkCard, wide: true },
  unit_rates: { component: UnitRatesCard, wide: true },
  inspector_rounds: { component: InspectorRoundsCard, wide: true },
  prediction: { component: PredictionCard },
  work: { component: WorkCard },
}
