import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installDebugHandle } from './debug';
import './styles.css';

installDebugHandle();

createRoot(document.getElementById('root')!).render(<App />);
