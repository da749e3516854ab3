import { unstableSetRender } from 'antd-mobile';
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import '../i18n/index.ts';
import { ErrorBoundary } from '../ui/ErrorBoundary.tsx';
import { MobileApp } from './App.tsx';
import { applyElderMode } from './elder.ts';
import './m.css';

// antd-mobile 5 renders Toast/Dialog with the legacy API unless told how to under React 19.
unstableSetRender((node, container) => {
  const c = container as Element & { __gzRoot?: Root };
  c.__gzRoot ??= createRoot(c);
  const root = c.__gzRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
  };
});

applyElderMode();
const el = document.getElementById('root');
if (el) {
  createRoot(el).render(
    <StrictMode>
      <ErrorBoundary>
        <MobileApp />
      </ErrorBoundary>
    </StrictMode>,
  );
}
