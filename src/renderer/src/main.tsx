import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles/base.css';
import './styles/app.css';
import './styles/costs.css';

const root = document.getElementById('root');
if (!root) throw new Error('PromptPress: #root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
