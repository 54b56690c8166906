import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installDebugHandle } from './debug';
import './styles.css';

// The test handle exists only in the E2E build (`electron-vite build --mode e2e`); production bundles drop it.
if (import.meta.env.MODE === 'e2e') installDebugHandle();

createRoot(document.getElementById('root')!).render(<App />);
