import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../i18n/index.ts';
import { ErrorBoundary } from '../ui/ErrorBoundary.tsx';
import { ConsoleApp } from './App.tsx';
import './console.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary>
        <ConsoleApp />
      </ErrorBoundary>
    </StrictMode>,
  );
}
