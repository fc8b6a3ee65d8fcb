import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { hasPermi } from './directives/hasPermi'
import { onUnauthorized } from './api/client'
import { useAuthStore } from './stores/auth'
import './styles.css'
import { showMessage } from './utils/notify'

const app = createApp(App)
app.use(createPinia())
app.use(router)
app.directive('hasPermi', hasPermi)

// Any 401 `auth.required` (expired after 30 idle minutes, or ended elsewhere): back to login.
// Only a session there was can expire: a visitor's first look at `/auth/me` is the router's
// to answer (a guest page opens, another asks for login without "登录已超时").
onUnauthorized(() => {
  const auth = useAuthStore()
  if (!auth.user) return
  const current = router.currentRoute.value
  auth.clear()
  if (current.name !== 'login') {
    router.replace({ name: 'login', query: { expired: '1', redirect: current.fullPath } })
  }
})

app.config.errorHandler = (err) => {
  console.error(err)
  showMessage('error', '页面出现错误，请刷新后重试')
}

app.mount('#app')
