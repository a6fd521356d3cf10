import { createApp } from 'vue'
import 'element-plus/dist/index.css'
import './styles/index.css'
import App from './App.vue'
import router from './router'

// Element Plus components are imported where they are used (tree-shaken);
// only its stylesheet is global, so every component looks right wherever it
// appears without per-component style imports.
createApp(App).use(router).mount('#app')
