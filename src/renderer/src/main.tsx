import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { enableLocalCounting } from './stores/tokens';
import './styles/base.css';
import './styles/app.css';
import './styles/costs.css';
import './styles/models.css';
import './styles/compress.css';
import './styles/providers.css';

const root = document.getElementById('root');
if (!root) throw new Error('PromptPress: #root is missing from index.html');
void enableLocalCounting();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
